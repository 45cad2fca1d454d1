import type { ProvingStageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { startJob } from './start-job.js';

/**
 * Event "retry": a failed group with attempts left gets a new attempt (`failed → retried` with
 * `attempt + 1`), which then starts (`continueRetriedGroup`) — at once, or, with `notBefore` (an
 * infrastructure retry's backoff), from the scheduled sweep once that time has come. Returns the
 * group as last written, or undefined when another writer moved it first.
 */
export async function retryGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  failed: GroupIn<'failed'>,
  notBefore?: string,
): Promise<Group | undefined> {
  const retried = await new GroupRepository(deps.store).move(failed, {
    ...commonOf(failed),
    status: 'retried',
    attempt: failed.attempt + 1,
    ...(notBefore === undefined ? {} : { notBefore }),
  });
  if (retried === undefined) return undefined;
  return continueRetriedGroup(deps, stage, retried);
}

/**
 * An operator's retry of an abandoned group (`abandoned → retried`, only ever asked for by a person,
 * `ops group retry`; the pipeline never moves an abandoned group): a new attempt (`attempt + 1`)
 * with the failure counters reset, so the group gets the stage's `executor.attempts` again; its
 * grant is kept (a checkpointed block hash stays on the oracle). Then it starts like any retry.
 * Returns the group as last written, or undefined when another writer moved it first.
 */
export async function retryAbandonedGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  abandoned: GroupIn<'abandoned'>,
): Promise<Group | undefined> {
  const retried = await new GroupRepository(deps.store).move(abandoned, {
    ...commonOf(abandoned),
    status: 'retried',
    attempt: abandoned.attempt + 1,
    failures: 0,
    infraFailures: 0,
  });
  if (retried === undefined) return undefined;
  return continueRetriedGroup(deps, stage, retried);
}

/**
 * Continues a `retried` group (left as it is while its `notBefore` lies ahead): a stage that needs an L1 checkpoint and has no grant (a group
 * reopened after an L1 reorg) goes back to `awaiting-checkpoint` for the proposer; any other
 * starts its new attempt (`startJob`). Returns the group after the move (running,
 * awaiting-checkpoint, or abandoned when the input cannot be built), or undefined on a conflict.
 */
export async function continueRetriedGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  retried: GroupIn<'retried'>,
): Promise<Group | undefined> {
  if (retried.notBefore !== undefined && Date.parse(retried.notBefore) > deps.clock.now().getTime()) {
    deps.logger.info('retry waits for its backoff', { groupId: retried.id, notBefore: retried.notBefore });
    return retried;
  }
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
