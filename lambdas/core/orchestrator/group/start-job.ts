import type { ProvingStageConfig } from '../../config/schema.js';
import type { StoredItem } from '../../ports/state-store.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { CheckpointGrant } from '../setup/program-plugin.js';
import { abandonUnbuildableGroup } from './abandon-group.js';
import { buildJobRequest, isUnbuildableInput } from './build-job-request.js';
import { stageTakesNewJobs } from './claim-on-create.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { jobArtifacts } from './job-artifacts.js';
import { StageBreaker } from './stage-breaker.js';
import { submitJob } from './submit-job.js';

/** The states a job can start from. */
export type StartableGroup = GroupIn<'collected' | 'awaiting-checkpoint' | 'retried'>;

/**
 * Runs a group's current attempt:
 * 1. builds the executor input (reads only); if it cannot be built — a member or payload blob is
 *    missing or invalid — the group is abandoned (`→ failed → abandoned`) instead of blocking;
 * 2. claims the attempt: a version-conditional move to `running` with the attempt's job
 *    (`jobArtifacts`) and `claimedAt` (and the `grant`, when given), so of two concurrent callers
 *    only one goes on;
 * 3. writes the input, submits the job and records the submission (`submitJob`).
 * A crash between 2 and 3 leaves a `running` group without a submission; `recoverStalledGroups`
 * re-submits it under the same name once `CLAIM_GRACE_SECONDS` have passed.
 *
 * `held`: member items the caller already read (`buildJobRequest` reads only the others' way).
 *
 * Returns the group as last written (running, or abandoned when the input cannot be built; as it
 * was when the stage is paused, its day's budget is spent (`budgetAllowsSubmit`) or its circuit
 * breaker is open), or undefined when another writer
 * moved it first. A paused stage (`pause/stage/<name>`) is checked first, before any input is read:
 * the group waits where it is, nothing counts as a failure, and the next collector run or sweep
 * after the resume starts it.
 */
export async function startJob(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: StartableGroup,
  grant?: CheckpointGrant,
  held?: readonly StoredItem[],
): Promise<Group | undefined> {
  if (!(await stageTakesNewJobs(deps, stage))) return group;
  const granted: StartableGroup = grant === undefined ? group : { ...group, grant };
  let request: unknown;
  try {
    request = await buildJobRequest(deps, stage, granted, held);
  } catch (error) {
    if (!isUnbuildableInput(error)) throw error;
    return abandonUnbuildableGroup(deps, stage, group, error.message);
  }
  // An open circuit breaker holds the stage's submissions back: the group waits where it is.
  if (!(await new StageBreaker(deps, stage).allowsSubmit())) return group;
  const claimed = await new GroupRepository(deps.store).move(group, {
    ...commonOf(granted),
    status: 'running',
    job: { ...jobArtifacts(group, group.attempt), claimedAt: deps.clock.now().toISOString() },
  });
  if (claimed === undefined) return undefined;
  return submitJob(deps, stage, claimed, { request, claimedJustNow: true });
}
