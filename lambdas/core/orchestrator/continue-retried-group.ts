import type { StageConfig } from '../config/schema.js';
import type { StoredItem } from '../ports/state-store.js';
import { groupData, moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { startGroupJob } from './start-group-job.js';

/**
 * Continues a `retried` group: a stage that needs an L1 checkpoint and has none recorded (a group
 * reopened after an L1 reorg) goes back to `awaiting-checkpoint` for the proposer; any other starts
 * its new attempt (`startGroupJob`). Returns the item after the move (running, awaiting-checkpoint,
 * or abandoned when the input cannot be built), or undefined when another writer moved it first.
 */
export async function continueRetriedGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  retried: StoredItem,
): Promise<StoredItem | undefined> {
  if (stage.executor.l1Checkpoint && groupData(retried).checkpoint === undefined) {
    const waiting = await moveGroup(deps.store, retried, 'awaiting-checkpoint');
    if (waiting !== undefined) deps.logger.info('group awaits an L1 checkpoint', { groupId: retried.id });
    return waiting;
  }
  return startGroupJob(deps, stage, retried);
}
