import type { StageConfig } from '../config/schema.js';
import { InvalidInputError } from '../errors.js';
import type { StoredItem } from '../ports/state-store.js';
import { continueRetriedGroup } from './continue-retried-group.js';
import { groupData, moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { stageNamed } from './pipeline-stages.js';

/**
 * Reopens a succeeded aggregate group whose proof was made against an L1 checkpoint that no longer
 * matches L1 (a reorg replaced the block), so it is proven again under a new checkpoint.
 *
 * 1. Deletes the published message item `messageId` (version-conditional), so the re-proven result,
 *    published under the same deterministic id, is recorded again instead of dropped as a duplicate.
 * 2. Moves the group `succeeded → retried` with `attempt + 1`, the old checkpoint, range vkey,
 *    prover address and job fields cleared and `reopenReason` recorded, then
 *    `retried → awaiting-checkpoint`: the proposer's next run checkpoints again and
 *    `submitCheckpointedGroup` starts the new attempt.
 *
 * Idempotent: a repeat (or a run after a crash between the steps) finishes what is left and
 * returns `reopened`; while the reopened group waits for its checkpoint a repeat also deletes a
 * stale copy of the message that a redelivery recorded again. Returns `not-reopenable` when the
 * group is unknown, not on a stage that needs an L1 checkpoint, or neither succeeded nor reopened.
 *
 * @throws InvalidInputError when `messageId` is not a message of the group stage's output topic.
 * @example
 * await reopenAggregateGroup(deps, { groupId: 'aggregate/0-10', messageId: 'aggregate-proofs/0-10',
 *   reason: 'L1 block 77 hash changed' });
 */
export async function reopenAggregateGroup(
  deps: OrchestratorDeps,
  input: { groupId: string; messageId: string; reason: string },
): Promise<'reopened' | 'not-reopenable'> {
  for (;;) {
    const group = await deps.store.get(input.groupId);
    if (group === undefined) return 'not-reopenable';
    const data = groupData(group);
    const stage = stageNamed(deps.config, data.stage);
    if (!stage.executor.l1Checkpoint) return 'not-reopenable';
    assertOutputMessage(stage, input);
    const reopened = data.reopenReason !== undefined && data.checkpoint === undefined;
    if (group.status === 'succeeded') {
      await deleteMessage(deps, input.messageId);
      const retried = await moveGroup(
        deps.store,
        group,
        'retried',
        { attempt: data.attempt + 1, reopenReason: input.reason },
        [
          'checkpoint',
          'rangeVkey',
          'proverAddress',
          'jobName',
          'jobId',
          'inputKey',
          'outputKey',
          'claimedAt',
          'submittedAt',
          'error',
          'stderrTail',
        ],
      );
      if (retried === undefined) continue;
      deps.logger.warn('aggregate group reopened: its L1 checkpoint no longer matches L1', {
        groupId: group.id,
        messageId: input.messageId,
        attempt: data.attempt + 1,
        reason: input.reason,
      });
      if ((await continueRetriedGroup(deps, stage, retried)) === undefined) continue;
      return 'reopened';
    }
    if (group.status === 'retried' && reopened) {
      await deleteMessage(deps, input.messageId);
      if ((await continueRetriedGroup(deps, stage, group)) === undefined) continue;
      return 'reopened';
    }
    if (group.status === 'awaiting-checkpoint' && reopened) {
      // Nothing can have been proven since the reopen: a message present now is the stale one again.
      await deleteMessage(deps, input.messageId);
      return 'reopened';
    }
    return 'not-reopenable';
  }
}

function assertOutputMessage(stage: StageConfig, input: { groupId: string; messageId: string }): void {
  if (!input.messageId.startsWith(`${stage.outputTopic}/`)) {
    throw new InvalidInputError(`reopen of group ${input.groupId}`, [
      `messageId: got "${input.messageId}", expected a message of topic "${stage.outputTopic}"`,
    ]);
  }
}

/** Deletes the message item whatever its version, retrying on a concurrent change. */
async function deleteMessage(deps: OrchestratorDeps, id: string): Promise<void> {
  for (let item: StoredItem | undefined = await deps.store.get(id); item !== undefined; ) {
    if (await deps.store.delete(id, item.version)) {
      deps.logger.info('published message deleted for a reprove', { messageId: id });
      return;
    }
    item = await deps.store.get(id);
  }
}
