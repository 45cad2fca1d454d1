import type { ProvingStageConfig } from '../../config/schema.js';
import { StagePauses } from '../../control/stage-pauses.js';
import { budgetAllowsSubmit } from '../budget/budget-guard.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { GroupMove } from './group-state.js';
import { jobArtifacts } from './job-artifacts.js';
import { StageBreaker } from './stage-breaker.js';

/**
 * Whether the stage takes a new job now: not paused (`pause/stage/<name>`) and its day's budget not
 * spent (`budgetAllowsSubmit`). The checks `startJob` makes before it reads any input.
 */
export async function stageTakesNewJobs(deps: OrchestratorDeps, stage: ProvingStageConfig): Promise<boolean> {
  if ((await (deps.stagePauses ?? new StagePauses(deps)).of(stage.name)) !== undefined) return false;
  return budgetAllowsSubmit(deps, stage);
}

/**
 * Whether a group of `stage` about to be created may be created straight in `running`, its first
 * job claimed (`claimedOnCreate`), instead of `collected` and then claimed by its hand-over: one
 * write fewer per group. Only for a stage whose jobs start on their own (no L1 checkpoint), when
 * it takes new jobs and its circuit breaker allows a submission. The input is not built first: the
 * submit builds it, and an input that cannot be built abandons the group from `running`, as after
 * a crashed claim (`submitJob`).
 */
export async function mayClaimOnCreate(deps: OrchestratorDeps, stage: ProvingStageConfig): Promise<boolean> {
  if (stage.executor.l1Checkpoint === true) return false;
  if (!(await stageTakesNewJobs(deps, stage))) return false;
  return new StageBreaker(deps, stage).allowsSubmit();
}

/**
 * A new group (attempt 1, as `newGroup` makes it) created in `running` with its first job claimed
 * at `now`: the same state the hand-over's claim would have written over the `collected` item. The
 * create is conditional, so of two collectors finishing one decision only one claims; a crash
 * before the submission is recorded is recovered by `recoverStalledGroups` after its grace period.
 */
export function claimedOnCreate(fresh: GroupMove, now: Date): GroupMove {
  return {
    ...fresh,
    status: 'running',
    job: { ...jobArtifacts(fresh, fresh.attempt), claimedAt: now.toISOString() },
  };
}
