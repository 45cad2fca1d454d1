import type { ProvingStageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type GroupIn } from './group-state.js';
import { startJob } from './start-job.js';

/** Where a collected group went (`succeeded`: a join stage handed its result on, no job). */
export interface GroupHandover {
  readonly groupId: string;
  /** `paused`: the stage is paused or its circuit breaker is open; the group stays collected. */
  readonly status: 'running' | 'awaiting-checkpoint' | 'abandoned' | 'paused' | 'succeeded';
}

/**
 * Event "collected": hands a `collected` group to its executor: to `awaiting-checkpoint` when the
 * stage needs an L1 checkpoint first (the proposer continues with `giveCheckpoint`), else straight
 * to a job (`abandoned` when its executor input cannot be built). A join stage's group goes to
 * `joinGroup` instead (`run-collectors.ts`). Returns undefined when another
 * caller handed it over first.
 */
export async function handOverGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'collected'>,
): Promise<GroupHandover | undefined> {
  if (stage.executor.l1Checkpoint) {
    const moved = await new GroupRepository(deps.store).move(group, {
      ...commonOf(group),
      status: 'awaiting-checkpoint',
    });
    if (moved === undefined) return undefined;
    deps.logger.info('group awaits an L1 checkpoint', { groupId: group.id });
    return { groupId: group.id, status: 'awaiting-checkpoint' };
  }
  const started = await startJob(deps, stage, group);
  if (started === undefined) return undefined;
  const status =
    started.status === 'abandoned' ? 'abandoned' : started.status === 'running' ? 'running' : 'paused';
  return { groupId: group.id, status };
}

/** Hands over the `collected` children of a bisected group (a repeat finds them moved and skips them). */
export async function handOverChildren(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  childIds: readonly string[],
): Promise<void> {
  const groups = new GroupRepository(deps.store);
  for (const id of childIds) {
    const child = await groups.get(id);
    if (child?.status === 'collected') await handOverGroup(deps, stage, child);
  }
}
