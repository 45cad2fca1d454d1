import type { StageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { startJob } from './start-job.js';

/**
 * Event "retry": a failed group with attempts left gets a new attempt (`failed → retried` with
 * `attempt + 1`), which then starts (`continueRetriedGroup`). Returns the group as last written, or
 * undefined when another writer moved it first.
 */
export async function retryGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  failed: GroupIn<'failed'>,
): Promise<Group | undefined> {
  const retried = await new GroupRepository(deps.store).move(failed, {
    ...commonOf(failed),
    status: 'retried',
    attempt: failed.attempt + 1,
  });
  if (retried === undefined) return undefined;
  return continueRetriedGroup(deps, stage, retried);
}

/**
 * Continues a `retried` group: a stage that needs an L1 checkpoint and has no grant (a group
 * reopened after an L1 reorg) goes back to `awaiting-checkpoint` for the proposer; any other
 * starts its new attempt (`startJob`). Returns the group after the move (running,
 * awaiting-checkpoint, or abandoned when the input cannot be built), or undefined on a conflict.
 */
export async function continueRetriedGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  retried: GroupIn<'retried'>,
): Promise<Group | undefined> {
  if (stage.executor.l1Checkpoint && retried.grant === undefined) {
    const waiting = await new GroupRepository(deps.store).move(retried, {
      ...commonOf(retried),
      status: 'awaiting-checkpoint',
    });
    if (waiting !== undefined) deps.logger.info('group awaits an L1 checkpoint', { groupId: retried.id });
    return waiting;
  }
  return startJob(deps, stage, retried);
}
