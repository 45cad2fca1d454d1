import type { ProvingStageConfig } from '../../config/schema.js';
import type { L1ReorgFailure } from '../../executor/l1-reorg-failure.js';
import { rangeKey } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { reproveMembers } from './reprove-members.js';
import { continueRetriedGroup } from './retry-group.js';

/**
 * L1-reorg retries one group gets before it is abandoned: real L1 reorgs under one aggregate are
 * rare, so more than this means its L1 inputs are not on the L1 the prover reads (a node that is
 * behind or on another chain) and a person must look.
 */
export const L1_REORG_RETRY_LIMIT = 10;

/**
 * A checkpointed group whose job failed because an L1 reorg removed one of its L1 inputs is retried
 * under a NEW checkpoint, not as a counted prover failure: `failed → retried` with `attempt + 1`, the
 * grant dropped and `reopenReason` recorded, then `→ awaiting-checkpoint` for the proposer. When the
 * failure names a range whose `l1Head` is gone, that member is re-proven in place
 * (`reproveMembers`) and the group waits for it. Counts `ReorgsDetected{chain: l1}` and
 * `ReorgWorkInvalidated{kind: checkpoint | proof}`. Returns the group as last written (awaiting-checkpoint),
 * or undefined when another writer moved it first.
 *
 * The group moves before the member: a crash between the two leaves the group waiting, and the
 * proposer's check of its ranges (`rangesL1Floor`) finds the gone `l1Head` and re-proves it.
 */
export async function retryAfterL1Reorg(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  failed: GroupIn<'failed'>,
  reorg: L1ReorgFailure,
): Promise<Group | undefined> {
  const reason =
    reorg.kind === 'checkpoint'
      ? `attempt ${failed.attempt}: its L1 checkpoint left L1 (reorg); retried under a new checkpoint`
      : `attempt ${failed.attempt}: range ${reorg.start}-${reorg.end} was proven against an L1 head that left L1 (reorg); it is re-proven and the group retried under a new checkpoint`;
  const { grant: _stale, ...common } = commonOf(failed);
  const retried = await new GroupRepository(deps.store).move(failed, {
    ...common,
    status: 'retried',
    attempt: failed.attempt + 1,
    l1ReorgRetries: (failed.l1ReorgRetries ?? 0) + 1,
    reopenReason: reason,
  });
  if (retried === undefined) return undefined;
  deps.metrics.count(METRIC.reorgsDetected, 1, { chain: 'l1' });
  deps.metrics.count(METRIC.reorgWorkInvalidated, 1, {
    kind: reorg.kind === 'checkpoint' ? 'checkpoint' : 'proof',
  });
  deps.logger.warn('group retried under a new L1 checkpoint after an L1 reorg', {
    groupId: failed.id,
    attempt: retried.attempt,
    reason,
  });
  const waiting = await continueRetriedGroup(deps, stage, retried);
  if (reorg.kind === 'range-l1-head') {
    const key = `/${rangeKey(reorg.start, reorg.end)}`;
    const member = failed.memberIds.find((id) => id.endsWith(key));
    if (member !== undefined)
      await reproveMembers(deps, { holderId: failed.id, memberIds: [member], reason });
  }
  return waiting;
}
