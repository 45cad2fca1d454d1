import type { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import type { Envelope } from '../../messages/envelope.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import type { MemberPayload } from '../setup/program-plugin.js';
import { messageData, messagePayload } from './message-records.js';

/** A group member as stored: its envelope (topic, key) and its payload, read once. */
export interface MemberMessage extends MemberPayload {
  readonly envelope: Envelope;
}

/**
 * Reads every member message of a group with its payload (inline, or from the blob store when it
 * travelled by key), in member order; the member items in one batch read (`getMany`), or none when
 * the caller holds them all (`held`: e.g. as the collector that formed the group just wrote them).
 *
 * @throws InvalidInputError when a member message is missing; MissingBlobError when a payload blob
 * is gone; the blob store's error when a blob cannot be read (not JSON, a failed read).
 */
export async function loadMemberMessages(
  deps: { readonly store: StateStore; readonly blobs: BlobStore },
  group: { readonly id: string; readonly memberIds: readonly string[] },
  held: readonly StoredItem[] = [],
): Promise<MemberMessage[]> {
  const byId = new Map(held.map((item) => [item.id, item]));
  const items = group.memberIds.every((id) => byId.has(id))
    ? group.memberIds.map((id) => byId.get(id))
    : await deps.store.getMany(group.memberIds);
  return Promise.all(
    group.memberIds.map(async (messageId, i) => {
      const item = items[i];
      if (item === undefined)
        throw new InvalidInputError(`group ${group.id}`, [`memberIds: message ${messageId} is missing`]);
      const { envelope } = messageData(item);
      return { messageId, envelope, payload: await messagePayload(deps.blobs, envelope) };
    }),
  );
}

/**
 * The payload of every member of a group, in member order (`loadMemberMessages` without the
 * envelopes; `held` as there).
 *
 * @throws InvalidInputError when a member message is missing; MissingBlobError when a payload blob is gone.
 */
export async function loadMemberPayloads(
  deps: { readonly store: StateStore; readonly blobs: BlobStore },
  group: { readonly id: string; readonly memberIds: readonly string[] },
  held?: readonly StoredItem[],
): Promise<MemberPayload[]> {
  const members = await loadMemberMessages(deps, group, held);
  return members.map(({ messageId, payload }) => ({ messageId, payload }));
}

/**
 * Parses member payloads with a program's schema.
 * @param what how a member is named in errors, e.g. `block message`.
 * @throws InvalidInputError naming the message and the schema path of the first payload that does not match.
 */
export function parseMemberPayloads<S extends z.ZodType>(
  members: readonly MemberPayload[],
  schema: S,
  what: string,
): z.output<S>[] {
  return members.map((m) => parseItemData(schema, m.payload, what, m.messageId, 'payload'));
}
