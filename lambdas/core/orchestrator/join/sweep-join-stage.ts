import type { JoinStageConfig } from '../../config/schema.js';
import { GroupRepository } from '../group/group-repository.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { finishHaltedJoins } from './halt-join.js';
import { continueRetriedJoin } from './rejoin-group.js';

/**
 * The recovery sweep of a join stage (it runs no jobs, so no running groups): halts a crash left
 * `failed` are finished (`finishHaltedJoins`), and `retried` groups (reopened after an L1 reorg,
 * retried by an operator) join again once their members' re-proofs are back (`continueRetriedJoin`).
 * `collected` groups are handed over by every sweep's collector pass already.
 */
export async function sweepJoinStage(deps: OrchestratorDeps, stage: JoinStageConfig): Promise<void> {
  await finishHaltedJoins(deps, stage);
  for (const retried of await new GroupRepository(deps.store).list(stage.name, 'retried')) {
    await continueRetriedJoin(deps, stage, retried);
  }
}
