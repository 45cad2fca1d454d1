import type { ProvingStageConfig, StageConfig } from '../../config/schema.js';
import { isProvingStage } from '../../config/stage-schema.js';
import { messageId, rangeKey } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import { assertTransition, type GroupStatus, MESSAGE_TRANSITIONS } from '../../status.js';
import { REPLACED_ATTEMPT_FIELD } from '../messages/record-message.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { CONFLICT, type Conflict, GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { reopenGroup } from './reopen-group.js';
import { continueRetriedGroup } from './retry-group.js';

/** Group statuses in which a group still holds its members (not invalidated, not split). */
const HOLDING: readonly GroupStatus[] = [
  'collected',
  'awaiting-checkpoint',
  'retried',
  'failed',
  'running',
  'succeeded',
  'abandoned',
];

/** What sending the holder back came to, by the holder's status as found. */
export type HolderSentBack = 'input-not-built' | 'restarted' | 'reopened' | 'released' | 'already-proposed';

/**
 * A `collected` member (`memberId`, of `stage`'s input) was replaced in place by a later attempt of
 * its producing group (`recordMessage` → `replaced-collected`): an old-branch proof still in flight
 * when an L2 rewind finished was recorded as new, collected, then the re-proof of its re-formed
 * group arrived. The newest attempt wins while the holding group is not proposed, so the holder
 * (the stage's live group listing the member; a rare path, so a listing per status) goes back to
 * build its input again:
 * - `collected`, `awaiting-checkpoint`, `retried`, `failed`, `abandoned`: nothing to do, the input
 *   is built from the members when the job starts;
 * - `running`: its job read the stale member; `running → failed → retried` (a new attempt, the
 *   grant kept: L1 did not change; no failure counted) starts at once on the fresh member, the old
 *   job is terminated and its late result ignored (an earlier attempt). A crash between the two
 *   moves leaves it `failed` as an infrastructure failure, which the sweep retries the same way;
 * - `succeeded`: its proof claims the stale root; reopened (`reopenGroup`: the proof superseded, a
 *   new attempt under a new checkpoint), unless that proof is already proposed (the proposer checks
 *   the output root, so it cannot be): then an error for a person;
 * - no holder: the member goes back to `pending` for the collector (`released`).
 * Logs a warning naming both attempts and counts `ReorgWorkInvalidated{kind: proof}`.
 */
export async function sendBackStaleMemberHolder(
  deps: OrchestratorDeps,
  stage: StageConfig,
  memberId: string,
): Promise<HolderSentBack> {
  const groups = new GroupRepository(deps.store);
  const member = await deps.store.get(memberId);
  const freshAttempt = (member?.data.envelope as { attempt?: number } | undefined)?.attempt;
  const staleAttempt = member?.data[REPLACED_ATTEMPT_FIELD];
  let holder: Group | undefined;
  for (const status of HOLDING) {
    holder = (await groups.list(stage.name, status)).find((g) => g.memberIds.includes(memberId));
    if (holder !== undefined) break;
  }
  deps.metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'proof' });
  deps.logger.warn('collected member replaced by a later attempt of its producing group', {
    messageId: memberId,
    staleAttempt,
    freshAttempt,
    holder: holder?.id,
    holderStatus: holder?.status,
  });
  if (holder === undefined) {
    // Its group went since (an L2 rewind let it go): the collector takes it again.
    await settleCollectedBack(deps, memberId);
    return 'released';
  }
  const reason = `member ${memberId} was replaced by attempt ${freshAttempt} of its producing group (attempt ${staleAttempt} was of L2 blocks a rewind replaced)`;
  const outcome = await groups.update(holder.id, (group) => sendBack(deps, stage, group, reason));
  return outcome ?? 'input-not-built';
}

/** The holder's way back, by its status as read now (CONFLICT: it moved meanwhile, decide again). */
async function sendBack(
  deps: OrchestratorDeps,
  stage: StageConfig,
  group: Group,
  reason: string,
): Promise<HolderSentBack | Conflict> {
  if (group.status === 'running' && isProvingStage(stage)) return restart(deps, stage, group, reason);
  if (group.status !== 'succeeded') return 'input-not-built';
  const output = messageId(stage.outputTopic, rangeKey(group.start, group.end));
  if ((await deps.store.get(output))?.status === 'proposed') {
    deps.logger.error('a proposed proof was built on a stale member; a person must check the proposed root', {
      groupId: group.id,
      messageId: output,
      reason,
    });
    return 'already-proposed';
  }
  await reopenGroup(deps, { groupId: group.id, messageId: output, reason });
  return 'reopened';
}

/** A collected member no group holds any more back to `pending` (a no-op once it is not collected). */
async function settleCollectedBack(deps: OrchestratorDeps, id: string): Promise<void> {
  for (;;) {
    const item = await deps.store.get(id);
    if (item?.status !== 'collected') return;
    assertTransition(MESSAGE_TRANSITIONS, `message ${id}`, 'collected', 'pending');
    if (await deps.store.replace({ ...item, status: 'pending' }, item.version)) return;
  }
}

/** `running → failed → retried → running` with the grant kept; the old job (and its hedge) terminated. */
async function restart(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  running: GroupIn<'running'>,
  reason: string,
): Promise<HolderSentBack | Conflict> {
  const groups = new GroupRepository(deps.store);
  const failed = await groups.move(running, {
    ...commonOf(running),
    status: 'failed',
    job: running.job,
    lastFailure: { error: reason, failureClass: 'infrastructure' },
  });
  if (failed === undefined) return CONFLICT;
  const retried = await groups.move(failed, {
    ...commonOf(failed),
    status: 'retried',
    attempt: failed.attempt + 1,
    reopenReason: reason,
  });
  // The failed state is this call's own: a lost race here is another writer retrying it (the sweep).
  if (retried === undefined) return 'input-not-built';
  // Their results would be of the stale input (and are ignored as of an earlier attempt): stop them.
  for (const name of [running.job.name, running.job.hedge?.name])
    if (name !== undefined) await deps.jobs.terminate({ stage: stage.name, name }, reason);
  await continueRetriedGroup(deps, stage, retried);
  return 'restarted';
}
