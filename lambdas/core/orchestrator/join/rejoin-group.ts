import type { JoinStageConfig } from '../../config/schema.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type GroupIn } from '../group/group-state.js';
import { type MemberReprove, reproveMembers } from '../group/reprove-members.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { joinGroup } from './join-group.js';
import type { JoinOutcome } from './join-outcome.js';

/**
 * An operator's retry of a halted join group (`ops group retry <id>` on an abandoned one): every
 * member's producing group is re-proven in place (`reproveMembers`, held by this group: a new
 * attempt each, the member `superseded` until its re-proof replaces it in `collected`), then the
 * group moves `abandoned → retried` (`attempt + 1`, failures reset) and joins again once the
 * re-proofs are back (`continueRetriedJoin`, now or from the join stage's sweep). Members go first:
 * a crash before the move leaves them re-proving and the group abandoned, and a repeat of the
 * command finishes. Returns the re-prove outcome and the group as last written (undefined on a
 * conflict).
 */
export async function retryJoinGroup(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  abandoned: GroupIn<'abandoned'>,
  reason: string,
): Promise<{
  readonly reprove: MemberReprove;
  readonly group: GroupIn<'retried' | 'collected'> | undefined;
}> {
  const reprove = await reproveMembers(deps, {
    holderId: abandoned.id,
    memberIds: abandoned.memberIds,
    reason,
  });
  const retried = await new GroupRepository(deps.store).move(abandoned, {
    ...commonOf(abandoned),
    status: 'retried',
    attempt: abandoned.attempt + 1,
    failures: 0,
  });
  if (retried === undefined) return { reprove, group: undefined };
  await continueRetriedJoin(deps, stage, retried);
  return {
    reprove,
    group: (await new GroupRepository(deps.store).get(abandoned.id)) as GroupIn<'retried' | 'collected'>,
  };
}

/**
 * A `retried` join group (reopened after an L1 reorg, or retried by an operator): while a member is
 * still `superseded` (its re-proof not back) it waits, named; then it moves `retried → collected`
 * (its old failure dropped) and the join runs over the current members (`joinGroup`), publishing
 * under the new attempt. Returns the join's outcome, the wait, or undefined on a conflict.
 */
export async function continueRetriedJoin(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  retried: GroupIn<'retried'>,
): Promise<JoinOutcome | undefined> {
  const items = await deps.store.getMany(retried.memberIds);
  const reproving = retried.memberIds.filter((_, i) => items[i]?.status === 'superseded');
  if (reproving.length > 0) {
    const reason = `join-waiting: ${retried.id} joins again once its members' re-proofs are back: ${reproving.join(', ')} (their producing groups re-prove them; one abandoned needs \`ops group retry\`)`;
    deps.logger.info('join waits for its members to be re-proven', { groupId: retried.id, reason });
    return { status: 'waiting', reason };
  }
  const { lastFailure: _old, ...common } = commonOf(retried);
  const collected = await new GroupRepository(deps.store).move(retried, { ...common, status: 'collected' });
  return collected === undefined ? undefined : joinGroup(deps, stage, collected);
}
