import { InvalidKeyError } from '../errors.js';
import { groupId, keyInterval } from '../messages/ids.js';
import type { StoredItem } from '../ports/state-store.js';
import { parseGroup } from './group/group-item.js';
import { terminalExpiresAt } from './messages/item-expiry.js';
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
 * Cost: one batch read per level of the chain (a level's messages with the groups that produced
 * them, whose ids follow from the messages' ids) and ONE unconditional batch write per 25 items
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
  // The group that produced a message follows from its id (`<topic>/<range key>`): each batch read
  // takes one level's messages together with the groups that produced them.
  let groupIds = producingGroups(deps, [messageId]);
  const [message, rewind, ...first] = await deps.store.getMany([messageId, L2_REWIND_ID, ...groupIds]);
  const toExpire: StoredItem[] = [];
  let groups = message === undefined ? [] : first;
  while (groups.length > 0) {
    const succeeded = groups.filter(
      (item): item is StoredItem => item !== undefined && item.status === 'succeeded',
    );
    const memberIds = succeeded.flatMap((item) => parseGroup(item).memberIds);
    groupIds = producingGroups(deps, memberIds);
    const ids = [...memberIds, ...groupIds];
    const level = ids.length === 0 ? [] : await deps.store.getMany(ids);
    const members = level.slice(0, memberIds.length).filter((m): m is StoredItem => m !== undefined);
    toExpire.push(...succeeded, ...members);
    groups = level.slice(memberIds.length);
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

/**
 * The groups that produced the messages `messageIds` (`<topic>/<range key>`, or a stage's copy
 * `<stage>@<topic>/<range key>`, `stageInbox`): of the Sequential stage whose output topic carries
 * each, by its range key.
 */
function producingGroups(deps: ExpiryDeps, messageIds: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const id of messageIds) {
    const slash = id.lastIndexOf('/');
    const topic = id.slice(id.indexOf('@') + 1, slash);
    const stage = deps.config.stages.find(
      (s) => s.outputTopic === topic && s.collector.strategy === 'sequential',
    );
    if (stage === undefined) continue;
    try {
      const { start, end } = keyInterval(id.slice(slash + 1), 'range');
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
