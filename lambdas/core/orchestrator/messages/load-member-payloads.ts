import type { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { StateStore } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import type { MemberPayload } from '../setup/program-plugin.js';
import { messageData, messagePayload } from './message-records.js';

/**
 * Reads the payload of every member of a group (inline, or from the blob store when it travelled by
 * key), in member order; the member items in one batch read (`getMany`).
 *
 * @throws InvalidInputError when a member message is missing; MissingBlobError when a payload blob is gone.
 */
export async function loadMemberPayloads(
  deps: { readonly store: StateStore; readonly blobs: BlobStore },
  group: { readonly id: string; readonly memberIds: readonly string[] },
): Promise<MemberPayload[]> {
  const items = await deps.store.getMany(group.memberIds);
  return Promise.all(
    group.memberIds.map(async (messageId, i) => {
      const item = items[i];
      if (item === undefined)
        throw new InvalidInputError(`group ${group.id}`, [`memberIds: message ${messageId} is missing`]);
      return { messageId, payload: await messagePayload(deps.blobs, messageData(item).envelope) };
    }),
  );
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
