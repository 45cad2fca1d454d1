import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { CONFLICT, GroupRepository } from './group-repository.js';
import { commonOf } from './group-state.js';
import { memberProducer } from './member-producer.js';
import { reopenGroup } from './reopen-group.js';

/** What re-proving members came to: the members now being re-proven, and those that cannot be. */
export interface MemberReprove {
  readonly reproving: readonly string[];
  readonly notReopenable: readonly string[];
}

/**
 * Re-proves in place the members `memberIds` of group `holderId` (an aggregate group) whose L1 head
 * left L1: each member's producing group (the stage whose output topic the member is on, the group
 * of the member's key) is reopened with `heldBy: holderId` (`reopenGroup`: a new attempt and job,
 * no failure counted; the member `superseded` until the re-proof replaces it in `collected`). The
 * L2 blocks did not change, so nothing else is invalidated. When the holder waits in
 * `awaiting-checkpoint`, `reason` is recorded on it as its `waitReason`, for the operator.
 *
 * Idempotent: a repeat finds the groups already reopened. A member whose producer cannot be
 * reopened (abandoned, split, unknown) is returned in `notReopenable` and logged: it needs an operator.
 *
 * @example
 * await reproveMembers(deps, { holderId: 'aggregate/0-10', memberIds: ['range-proofs/0-5'],
 *   reason: 'range-proofs/0-5: l1Head 0xab… is no longer on L1' });
 */
export async function reproveMembers(
  deps: OrchestratorDeps,
  input: { readonly holderId: string; readonly memberIds: readonly string[]; readonly reason: string },
): Promise<MemberReprove> {
  const reproving: string[] = [];
  const notReopenable: string[] = [];
  const items = await deps.store.getMany(input.memberIds);
  for (const [i, messageId] of input.memberIds.entries()) {
    const producer = memberProducer(deps, items[i]);
    if (producer === undefined) {
      notReopenable.push(messageId);
      continue;
    }
    const outcome = await reopenGroup(deps, {
      groupId: producer.groupId,
      messageId,
      reason: input.reason,
      heldBy: input.holderId,
    });
    (outcome === 'reopened' ? reproving : notReopenable).push(messageId);
  }
  if (notReopenable.length > 0) {
    deps.logger.error('members cannot be re-proven; their group needs an operator', {
      groupId: input.holderId,
      notReopenable,
    });
  }
  if (reproving.length > 0) await recordWaitReason(deps, input.holderId, input.reason);
  return { reproving, notReopenable };
}

/** Records why an `awaiting-checkpoint` group waits (a no-op in any other state). */
async function recordWaitReason(deps: OrchestratorDeps, id: string, reason: string): Promise<void> {
  const groups = new GroupRepository(deps.store);
  await groups.update(id, async (group) => {
    if (group.status !== 'awaiting-checkpoint' || group.waitReason === reason) return undefined;
    const moved = await groups.move(group, { ...commonOf(group), status: group.status, waitReason: reason });
    return moved === undefined ? CONFLICT : undefined;
  });
}
