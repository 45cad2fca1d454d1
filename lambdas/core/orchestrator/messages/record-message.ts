import type { StateStore } from '../../ports/state-store.js';
import { type MessageData, messageData } from './message-records.js';
import { heldByOf } from './supersede-held-member.js';

/** Statuses a message of a later attempt replaces. */
const REPLACEABLE: ReadonlySet<string> = new Set(['pending', 'superseded', 'invalidated']);

/** What recording a delivered message came to. */
export type RecordOutcome = 'new' | 'newer-attempt' | 'duplicate';

/**
 * Records a delivered message under `id` once: a conditional create in `pending`. When the id is
 * already recorded, a message from a later attempt of its producing group (`envelope.attempt`)
 * replaces a `pending`, `superseded` or `invalidated` copy from an earlier one (a reopened group's
 * new proof; after an L2 rewind, the canonical block of the watcher's next generation or the proof
 * of a re-formed group) — in `collected` when the superseded copy is a member its group still holds
 * (`supersedeHeldMember`: a range re-proven in place stays in its aggregate group); anything else —
 * the same attempt again, an earlier one — is a duplicate and writes nothing.
 */
export async function recordMessage(
  store: StateStore,
  item: { readonly id: string; readonly kind: string; readonly sortKey: string; readonly data: MessageData },
): Promise<RecordOutcome> {
  const fresh = { ...item, status: 'pending', data: { ...item.data } };
  for (;;) {
    if (await store.create(fresh)) return 'new';
    const existing = await store.get(item.id);
    if (existing === undefined) continue;
    const replaceable = REPLACEABLE.has(existing.status);
    if (!replaceable || item.data.envelope.attempt <= messageData(existing).envelope.attempt)
      return 'duplicate';
    const held = heldByOf(existing) !== undefined;
    if (await store.replace(held ? { ...fresh, status: 'collected' } : fresh, existing.version))
      return 'newer-attempt';
  }
}
