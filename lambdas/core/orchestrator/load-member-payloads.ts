import type { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { parseItemData } from '../schema/parse-item-data.js';
import type { GroupData } from './group-records.js';
import { messageData, messagePayload } from './message-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Reads the payload of every member of a group (inline, or from the blob store when it travelled by
 * key) and parses it with `schema`, in member order.
 *
 * @param what how a member is named in errors, e.g. `block message`.
 * @throws InvalidInputError when a member is missing or its payload does not match `schema`, naming
 * the message and schema path; MissingBlobError when a payload blob is gone.
 */
export async function loadMemberPayloads<S extends z.ZodType>(
  deps: OrchestratorDeps,
  groupId: string,
  group: GroupData,
  schema: S,
  what: string,
): Promise<z.output<S>[]> {
  const payloads: z.output<S>[] = [];
  for (const memberId of group.memberIds) {
    const item = await deps.store.get(memberId);
    if (item === undefined)
      throw new InvalidInputError(`group ${groupId}`, [`memberIds: message ${memberId} is missing`]);
    const payload = await messagePayload(deps.blobs, messageData(item).envelope);
    payloads.push(parseItemData(schema, payload, what, memberId, 'payload'));
  }
  return payloads;
}
