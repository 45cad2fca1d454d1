import { InvalidInputError, InvalidKeyError } from '../errors.js';
import type { Envelope } from '../messages/envelope.js';
import { groupId, keyInterval } from '../messages/ids.js';
import type { StoredItem } from '../ports/state-store.js';
import { parseGroup } from './group/group-item.js';
import { terminalExpiresAt } from './messages/item-expiry.js';
import { messageData } from './messages/message-records.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';

/** Items given their expiry at once (a proposal's span holds thousands of block messages). */
const EXPIRY_BATCH = 25;

type ExpiryDeps = Pick<OrchestratorDeps, 'store' | 'clock' | 'config' | 'logger'>;

/**
 * Once the proof message `messageId` is proposed (the oracle holds it at depth
 * `proposer.confirmations`: the proposer settles nothing `proposed` before that), nothing reads
 * the items that made it again: the group that produced it, that group's member messages, the groups that
 * produced those, down to the watcher's block messages. Each gets an `expiresAt`. Only `succeeded`
 * groups are followed (a proposed proof's chain has no other kind), and only through Sequential
 * stages with range keys. Idempotent: an item that has an expiry already is left as it is, so a
 * run that crashed part way is completed by calling it again (before the message is settled).
 * Best effort: an item another writer changed meanwhile keeps no expiry (logged).
 * Returns how many items got an expiry.
 */
export async function expireProposedSpan(deps: ExpiryDeps, messageId: string): Promise<number> {
  const expiresAt = terminalExpiresAt(deps);
  let expired = 0;
  const expire = async (item: StoredItem): Promise<void> => {
    if (item.expiresAt !== undefined) return;
    if (await deps.store.replace({ ...item, expiresAt }, item.version)) expired += 1;
    else deps.logger.warn('item changed while its expiry was set; it keeps none', { itemId: item.id });
  };

  const message = await deps.store.get(messageId);
  let groupIds = message === undefined ? [] : producingGroups(deps, [message]);
  // One level of the chain at a time: its groups, then all their members, each in batch reads.
  while (groupIds.length > 0) {
    const groups = (await deps.store.getMany(groupIds)).filter(
      (item): item is StoredItem => item !== undefined && item.status === 'succeeded',
    );
    await inBatches(groups, expire);
    const memberIds = groups.flatMap((item) => parseGroup(item).memberIds);
    const found = (await deps.store.getMany(memberIds)).filter((m): m is StoredItem => m !== undefined);
    await inBatches(found, expire);
    groupIds = producingGroups(deps, found);
  }
  return expired;
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

async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += EXPIRY_BATCH) {
    results.push(...(await Promise.all(items.slice(i, i + EXPIRY_BATCH).map(each))));
  }
  return results;
}
