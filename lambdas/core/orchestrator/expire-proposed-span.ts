import { InvalidInputError, InvalidKeyError } from '../errors.js';
import type { Envelope } from '../messages/envelope.js';
import { groupId, keyInterval } from '../messages/ids.js';
import type { StoredItem } from '../ports/state-store.js';
import { parseGroup } from './group/group-item.js';
import { terminalExpiresAt } from './messages/item-expiry.js';
import { messageData } from './messages/message-records.js';
import { L2_REWIND_ID } from './rewind/rewind-intent.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';

/** Items given their expiry at once by the careful (conditional, one write each) path. */
const EXPIRY_BATCH = 25;

type ExpiryDeps = Pick<OrchestratorDeps, 'store' | 'clock' | 'config' | 'logger'>;

/** What `expireProposedSpan` did: how many items got an expiry, and the proof message as read. */
export interface SpanExpiry {
  readonly expired: number;
  /** The proof message as read before the walk (undefined when it is not stored), for its own settle. */
  readonly message: StoredItem | undefined;
}

/**
 * Once the proof message `messageId` is proposed (the oracle holds it at depth
 * `proposer.confirmations`: the proposer settles nothing `proposed` before that), nothing reads
 * the items that made it again: the group that produced it, that group's member messages, the groups that
 * produced those, down to the watcher's block messages. Each gets an `expiresAt`. Only `succeeded`
 * groups are followed (a proposed proof's chain has no other kind), and only through Sequential
 * stages with range keys. Idempotent: an item that has an expiry already is left as it is, so a
 * run that crashed part way is completed by calling it again (before the message is settled).
 *
 * Cost: one batch read per level of the chain and ONE unconditional batch write per 25 items
 * (`overwriteMany`, each item at its version + 1), not a conditional write each: a proposal of
 * thousands of blocks costs a few hundred calls, not thousands. Unconditional is safe because no
 * other writer changes these items any more once `proposal/<end>` is `proposed` (the caller wrote
 * it before): the span's groups are `succeeded` and its messages `collected`, and
 * - an L2 rewind invalidates only above the proposed head (`finishL2Rewind` lists from it, and one
 *   below it halts instead); a rewind recorded (`rewind/l2`) before the proposal could still be
 *   running with an older floor, so while one is recorded (read in the walk's first batch, before
 *   any item) every item takes the careful path: a conditional write each, and one another
 *   writer changed keeps no expiry (logged);
 * - reopening a succeeded group or re-proving its members in place (`reopenGroup`,
 *   `reproveMembers`) happens only in proposer runs (an aggregate group still waiting, a pending
 *   proof refused as stale, a proposal an L1 reorg took off), which the signer lease serializes
 *   with this one; the dispatcher's re-proof landings follow those, never a proposed proof;
 * - the operator CLI moves only `failed` and `abandoned` groups, `prove-range` creates new ones;
 *   a late or repeated job completion finds the group no longer `running` and writes nothing; a
 *   redelivered message is a create that finds the item and writes nothing.
 * Even a lost race only loses the expiry or is met by the version + 1: a writer that read the item
 * before this write fails its condition and reads again.
 */
export async function expireProposedSpan(deps: ExpiryDeps, messageId: string): Promise<SpanExpiry> {
  const expiresAt = terminalExpiresAt(deps);
  const [message, rewind] = await deps.store.getMany([messageId, L2_REWIND_ID]);
  const toExpire: StoredItem[] = [];
  let groupIds = message === undefined ? [] : producingGroups(deps, [message]);
  // One level of the chain at a time: its groups, then all their members, each in batch reads.
  while (groupIds.length > 0) {
    const groups = (await deps.store.getMany(groupIds)).filter(
      (item): item is StoredItem => item !== undefined && item.status === 'succeeded',
    );
    const memberIds = groups.flatMap((item) => parseGroup(item).memberIds);
    const found = (await deps.store.getMany(memberIds)).filter((m): m is StoredItem => m !== undefined);
    toExpire.push(...groups, ...found);
    groupIds = producingGroups(deps, found);
  }
  const due = toExpire.filter((item) => item.expiresAt === undefined);
  if (rewind === undefined) {
    await deps.store.overwriteMany(due.map((item) => ({ ...item, version: item.version + 1, expiresAt })));
    return { expired: due.length, message };
  }
  let expired = 0;
  await inBatches(due, async (item) => {
    if (await deps.store.replace({ ...item, expiresAt }, item.version)) expired += 1;
    else deps.logger.warn('item changed while its expiry was set; it keeps none', { itemId: item.id });
  });
  return { expired, message };
}

/** The groups that produced `messages`: of the stage whose output topic carries each, by its range key. */
function producingGroups(deps: ExpiryDeps, messages: readonly StoredItem[]): string[] {
  const ids = new Set<string>();
  for (const item of messages) {
    let envelope: Envelope;
    try {
      ({ envelope } = messageData(item));
    } catch (error) {
      // Expiry is housekeeping: a corrupt message must not stop the proposal it follows.
      if (!(error instanceof InvalidInputError)) throw error;
      deps.logger.warn('message unreadable; its producers keep no expiry', { messageId: item.id });
      continue;
    }
    const stage = deps.config.stages.find(
      (s) => s.outputTopic === envelope.topic && s.collector.strategy === 'sequential',
    );
    if (stage === undefined) continue;
    try {
      const { start, end } = keyInterval(envelope.key, 'range');
      ids.add(groupId(stage.name, start, end));
    } catch (error) {
      if (!(error instanceof InvalidKeyError)) throw error;
    }
  }
  return [...ids];
}

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += EXPIRY_BATCH) {
    await Promise.all(items.slice(i, i + EXPIRY_BATCH).map(each));
  }
}
