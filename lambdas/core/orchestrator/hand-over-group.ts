import type { StageConfig } from '../config/schema.js';
import type { StoredItem } from '../ports/state-store.js';
import { moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { startGroupJob } from './start-group-job.js';

/** Where a collected group went. */
export interface GroupHandover {
  readonly groupId: string;
  readonly status: 'running' | 'awaiting-checkpoint' | 'abandoned';
}

/**
 * Hands a `collected` group to its executor: to `awaiting-checkpoint` when the stage needs an L1
 * checkpoint first (the proposer continues with `submitCheckpointedGroup`), else straight to a job
 * (`abandoned` when its executor input cannot be built). Returns undefined when the group is no
 * longer `collected` (another caller handed it over).
 */
export async function handOverGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
): Promise<GroupHandover | undefined> {
  if (item.status !== 'collected') return undefined;
  if (stage.executor.l1Checkpoint) {
    const moved = await moveGroup(deps.store, item, 'awaiting-checkpoint');
    if (moved === undefined) return undefined;
    deps.logger.info('group awaits an L1 checkpoint', { groupId: item.id });
    return { groupId: item.id, status: 'awaiting-checkpoint' };
  }
  const started = await startGroupJob(deps, stage, item);
  if (started === undefined) return undefined;
  return { groupId: item.id, status: started.status === 'abandoned' ? 'abandoned' : 'running' };
}
