import type { StageConfig } from '../../config/schema.js';
import { isProvingStage } from '../../config/stage-schema.js';
import { InvalidInputError } from '../../errors.js';
import { settleMessage } from '../messages/message-records.js';
import { supersedeHeldMember } from '../messages/supersede-held-member.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { stageNamed } from '../setup/pipeline-stages.js';
import { CONFLICT, type Conflict, GroupRepository } from './group-repository.js';
import { commonOf, type Group } from './group-state.js';
import { memberProducer } from './member-producer.js';
import { continueRetriedGroup } from './retry-group.js';

/**
 * Event "reopen": a succeeded group of a checkpointed stage whose proof was made against an L1
 * checkpoint that no longer matches L1 (a reorg replaced the block) is proven again under a new one.
 * With `heldBy` (the group that holds `messageId` as a collected member, e.g. an aggregate group),
 * any stage's group is re-proven in place the same way — a range whose `l1Head` left L1: its message
 * is superseded while held (`supersedeHeldMember`) and the re-proof goes back to `collected` in
 * `heldBy`; the new attempt starts at once (`retried → running`) under a new job name.
 *
 * 1. Moves the group `succeeded → retried` with `attempt + 1` (no failure counted), the grant and
 *    job dropped and `reopenReason` recorded;
 * 2. moves the published message `messageId` to `superseded`, so the proposer no longer takes it, a
 *    redelivery of it is a duplicate, and the re-proven result (published under the same id by a
 *    later attempt) replaces it;
 * 3. moves the group `retried → awaiting-checkpoint`: the proposer's next run checkpoints again and
 *    `giveCheckpoint` starts the new attempt.
 *
 * A join stage's group runs no job: its members are re-proven in place and it joins again
 * (`reopenJoinGroup`).
 *
 * Idempotent: a repeat (or a run after a crash between the steps) finishes what is left and
 * returns `reopened`. Returns `not-reopenable` when the
 * group is unknown, not on a stage that needs an L1 checkpoint, or neither succeeded nor reopened.
 *
 * @throws InvalidInputError when `messageId` is not a message of the group stage's output topic.
 * @example
 * await reopenGroup(deps, { groupId: 'aggregate/0-10', messageId: 'aggregate-proofs/0-10',
 *   reason: 'L1 block 77 hash changed' });
 */
export async function reopenGroup(
  deps: OrchestratorDeps,
  input: { groupId: string; messageId: string; reason: string; heldBy?: string },
): Promise<'reopened' | 'not-reopenable'> {
  const groups = new GroupRepository(deps.store);
  const outcome = await groups.update(input.groupId, async (group) => {
    const stage = stageNamed(deps.config, group.stage);
    const supersede = () =>
      input.heldBy === undefined
        ? supersedeMessage(deps, input.messageId)
        : supersedeHeldMember(deps.store, input.messageId, input.heldBy);
    // A join stage's result is its members' proof handed on: they are re-proven, then it re-joins.
    if (!isProvingStage(stage)) {
      assertOutputMessage(stage, input);
      return reopenJoinGroup(deps, group, input.reason, supersede);
    }
    if (!stage.executor.l1Checkpoint && input.heldBy === undefined) return 'not-reopenable';
    assertOutputMessage(stage, input);
    const reopened = group.reopenReason !== undefined && group.grant === undefined;
    if (group.status === 'succeeded') {
      const { grant: _old, lastFailure: _error, ...common } = commonOf(group);
      const retried = await groups.move(group, {
        ...common,
        status: 'retried',
        // A new job under a new checkpoint, not a failed attempt: the re-proof gets all its attempts.
        attempt: group.attempt + 1,
        failures: 0,
        reopenReason: input.reason,
      });
      if (retried === undefined) return CONFLICT;
      deps.logger.warn('group reopened: an L1 block it was proven against is no longer on L1', {
        groupId: group.id,
        messageId: input.messageId,
        attempt: retried.attempt,
        reason: input.reason,
      });
      // The group moves before the message: a crash between the two leaves the message pending, so
      // the proposer refuses it again and the repeated reopen supersedes it. The other order would
      // leave a succeeded group with no pending proof, which nothing ever looks at again.
      await supersede();
      return (await continueRetriedGroup(deps, stage, retried)) === undefined ? CONFLICT : 'reopened';
    }
    if (group.status === 'retried' && reopened) {
      await supersede();
      return (await continueRetriedGroup(deps, stage, group)) === undefined ? CONFLICT : 'reopened';
    }
    // Already on its way: waiting for a checkpoint, or (a range re-proven in place) its new job runs.
    if ((group.status === 'awaiting-checkpoint' || group.status === 'running') && reopened) {
      await supersede();
      return 'reopened';
    }
    return 'not-reopenable';
  });
  return outcome ?? 'not-reopenable';
}

/**
 * `reopenGroup` of a join stage's succeeded group: each member's producing group is reopened in
 * place (`heldBy` the join group: a new attempt, the member `superseded` until its re-proof comes
 * back `collected`), then the group moves `succeeded → retried` (`attempt + 1`, `reopenReason`),
 * then its handed-on result is superseded. The join stage's sweep joins it again once no member is
 * superseded (`continueRetriedJoin`), publishing the new result under `attempt + 1`, which replaces
 * the superseded one. Members go first: a crash before the move leaves them reopened, and a repeat
 * finds them on their way (`reopened`) and moves the group.
 */
async function reopenJoinGroup(
  deps: OrchestratorDeps,
  group: Group,
  reason: string,
  supersede: () => Promise<unknown>,
): Promise<'reopened' | 'not-reopenable' | Conflict> {
  if (group.status === 'retried' && group.reopenReason !== undefined) {
    await supersede();
    return 'reopened';
  }
  if (group.status !== 'succeeded') return 'not-reopenable';
  const items = await deps.store.getMany(group.memberIds);
  for (const [i, messageId] of group.memberIds.entries()) {
    const producer = memberProducer(deps, items[i]);
    if (producer === undefined) continue;
    await reopenGroup(deps, { groupId: producer.groupId, messageId, reason, heldBy: group.id });
  }
  const { lastFailure: _error, ...common } = commonOf(group);
  const retried = await new GroupRepository(deps.store).move(group, {
    ...common,
    status: 'retried',
    attempt: group.attempt + 1,
    reopenReason: reason,
  });
  if (retried === undefined) return CONFLICT;
  deps.logger.warn('join group reopened: its members are re-proven, then it joins again', {
    groupId: group.id,
    attempt: retried.attempt,
    reason,
  });
  await supersede();
  return 'reopened';
}

function assertOutputMessage(stage: StageConfig, input: { groupId: string; messageId: string }): void {
  if (!input.messageId.startsWith(`${stage.outputTopic}/`)) {
    throw new InvalidInputError(`reopen of group ${input.groupId}`, [
      `messageId: got "${input.messageId}", expected a message of topic "${stage.outputTopic}"`,
    ]);
  }
}

/** Moves the proof message from `pending` to `superseded` (a no-op when it is not pending). */
async function supersedeMessage(deps: OrchestratorDeps, id: string): Promise<void> {
  if ((await settleMessage(deps, id, 'superseded')) === 'superseded')
    deps.logger.info('published message superseded for a reprove', { messageId: id });
}
