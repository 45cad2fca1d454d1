import type { PipelineConfig } from '../../config/schema.js';
import { MissingBlobError } from '../../errors.js';
import { type Envelope, envelopeSchema } from '../../messages/envelope.js';
import { keyInterval, sortKeyOf } from '../../messages/ids.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { assertTransition, MESSAGE_TRANSITIONS, type MessageStatus } from '../../status.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { stagesConsuming } from '../setup/pipeline-stages.js';
import { terminalExpiresAt } from './item-expiry.js';

/** State-store kind of the messages of one topic. */
export function messageKind(topic: string): string {
  return `message#${topic}`;
}

/**
 * Sort key of a message item: the start of the interval its key covers when a Sequential stage
 * reads the topic, or when the key is a range key (`aggregate-proofs`, read by the proposer by
 * start); otherwise the time it was created (Match stages).
 */
export function messageSortKey(config: PipelineConfig, envelope: Envelope): string {
  const sequential = stagesConsuming(config, envelope.topic)
    .map((s) => s.collector)
    .find((c) => c.strategy === 'sequential');
  if (sequential !== undefined) return sortKeyOf(keyInterval(envelope.key, sequential.keyKind).start);
  if (/^\d+-\d+$/.test(envelope.key)) {
    try {
      return sortKeyOf(keyInterval(envelope.key, 'range').start);
    } catch {
      return envelope.createdAt;
    }
  }
  return envelope.createdAt;
}

/**
 * Where a stage finds its input messages of `topic`. The sole consumer of a topic reads the
 * message items themselves (`<topic>/<key>`, kind `message#<topic>`). When several stages read
 * one topic (a fan-out joined later by a Match stage), each gets its own copy
 * (`<stage>@<topic>/<key>`, kind `message#<topic>@<stage>`), because a message's status can only
 * say how one collector used it.
 */
export interface StageInbox {
  readonly kind: string;
  readonly shared: boolean;
  itemId(envelopeId: string): string;
}

export function stageInbox(config: PipelineConfig, stage: string, topic: string): StageInbox {
  if (stagesConsuming(config, topic).length <= 1) {
    return { kind: messageKind(topic), shared: false, itemId: (envelopeId) => envelopeId };
  }
  return {
    kind: `${messageKind(topic)}@${stage}`,
    shared: true,
    itemId: (envelopeId) => `${stage}@${envelopeId}`,
  };
}

/** Data of a message item: the envelope as delivered and when the dispatcher first recorded it. */
export interface MessageData {
  readonly envelope: Envelope;
  readonly receivedAt: string;
}

/** @throws InvalidInputError naming the item id and the envelope path that does not validate. */
export function messageData(item: StoredItem): MessageData {
  const envelope = parseItemData(
    envelopeSchema,
    item.data.envelope,
    'message item',
    item.id,
    'data.envelope',
  );
  const receivedAt = typeof item.data.receivedAt === 'string' ? item.data.receivedAt : envelope.createdAt;
  return { envelope, receivedAt };
}

/**
 * The message payload, read from the blob store when it travelled by key.
 * @throws MissingBlobError naming the key and the message when the payload blob is gone.
 */
export async function messagePayload(blobs: BlobStore, envelope: Envelope): Promise<unknown> {
  if (envelope.payloadKey === undefined) return envelope.payload;
  const payload = await blobs.getJson(envelope.payloadKey);
  if (payload === undefined)
    throw new MissingBlobError(envelope.payloadKey, `the payload of message ${envelope.id}`);
  return payload;
}

/**
 * Message statuses nothing reads again, whose items expire `storage.stateRetentionDays` after the
 * move: a proposal's outcome (`proposed`, `skipped`) and a Match group's timeout (`expired`).
 * Not `collected`: the group reads its members again to retry, bisect or reopen until its blocks
 * are proposed. Not `superseded`: it goes back to `pending` when the reproved result arrives.
 */
const EXPIRING_MESSAGE_STATUSES: ReadonlySet<MessageStatus> = new Set(['proposed', 'skipped', 'expired']);

/**
 * Moves a message from `pending` to `to` with a conditional write (an expiring status gets its
 * `expiresAt`). Returns the status the message ends in: `to` when this call (or a concurrent one)
 * moved it there, or whatever another writer moved it to first; `pending` when `mayMove` refuses
 * the pending message as read.
 */
export async function settleMessage(
  deps: Pick<OrchestratorDeps, 'store' | 'clock' | 'config'>,
  id: string,
  to: MessageStatus,
  mayMove?: (item: StoredItem) => boolean,
): Promise<string | undefined> {
  for (;;) {
    const item = await deps.store.get(id);
    if (item === undefined) return undefined;
    const settled = await settleRead(deps, item, to, mayMove);
    if (settled !== LOST) return typeof settled === 'string' ? settled : to;
  }
}

/** How one message of `settleMessages` ended. */
export interface SettledMessage {
  /** The status the message ends in (undefined: no such message). */
  readonly status: string | undefined;
  /**
   * The item as this call stored it, when its write went over the item as first read (or as the
   * caller gave it): its content is the one read, so a caller holding it needs no read back.
   */
  readonly written?: StoredItem;
}

/**
 * `settleMessage` for several messages at once (a group's members), starting from one batch read
 * (`getMany`) instead of a read each, or from the items the caller just read (`read`: e.g. the
 * collector's plan page, all of `ids`; then no read at all); the writes go in parallel,
 * conditional on the version read, and a message whose write lost a race (or whose item as read
 * was stale) is settled again from a fresh read. Returns how each message ended, in the order given.
 * `mayMove` as for `settleMessage`.
 */
export async function settleMessages(
  deps: Pick<OrchestratorDeps, 'store' | 'clock' | 'config'>,
  ids: readonly string[],
  to: MessageStatus,
  read?: readonly StoredItem[],
  mayMove?: (item: StoredItem) => boolean,
): Promise<SettledMessage[]> {
  const known = new Map(read?.map((item) => [item.id, item]));
  const items = ids.every((id) => known.has(id))
    ? ids.map((id) => known.get(id))
    : await deps.store.getMany(ids);
  return Promise.all(
    items.map(async (item, i): Promise<SettledMessage> => {
      if (item === undefined) return { status: undefined };
      const settled = await settleRead(deps, item, to, mayMove);
      if (settled === LOST) return { status: await settleMessage(deps, ids[i]!, to, mayMove) };
      return typeof settled === 'string' ? { status: settled } : { status: to, written: settled };
    }),
  );
}

/** A conditional write that lost to another writer: read again. */
const LOST = Symbol('settle lost a race');

/**
 * Moves `item` (as read) from `pending` to `to`: the item as written; its status when it is not
 * pending or `mayMove` refuses it; LOST on a version race.
 */
async function settleRead(
  deps: Pick<OrchestratorDeps, 'store' | 'clock' | 'config'>,
  item: StoredItem,
  to: MessageStatus,
  mayMove?: (item: StoredItem) => boolean,
): Promise<StoredItem | string | typeof LOST> {
  if (item.status !== 'pending' || mayMove?.(item) === false) return item.status;
  assertTransition(MESSAGE_TRANSITIONS, `message ${item.id}`, 'pending', to);
  const expiresAt = EXPIRING_MESSAGE_STATUSES.has(to) ? terminalExpiresAt(deps) : undefined;
  const next = { ...item, status: to, ...(expiresAt === undefined ? {} : { expiresAt }) };
  if (!(await deps.store.replace(next, item.version))) return LOST;
  return { ...next, version: item.version + 1 };
}
