import type { StateStore } from '../../ports/state-store.js';
import { type MessageData, messageData } from './message-records.js';
import { heldByOf } from './supersede-held-member.js';

/** Statuses a message of a later attempt replaces. */
const REPLACEABLE: ReadonlySet<string> = new Set(['pending', 'superseded', 'invalidated', 'collected']);

/**
 * The data field of a message replaced in place while `collected`: the attempt of the stale copy
 * its group held, for the log and the operator (`sendBackStaleMemberHolder`).
 */
export const REPLACED_ATTEMPT_FIELD = 'replacedAttempt';

/**
 * What recording a delivered message came to. `replaced-collected`: it replaced a `collected` copy
 * of an earlier attempt, which a group holds; that group must be sent back to build its input again.
 */
export type RecordOutcome = 'new' | 'newer-attempt' | 'replaced-collected' | 'duplicate';

/**
 * Records a delivered message under `id` once: a conditional create in `pending`. When the id is
 * already recorded, a message from a later attempt of its producing group (`envelope.attempt`)
 * replaces a copy from an earlier one: a `pending`, `superseded` or `invalidated` one (a reopened
 * group's new proof; after an L2 rewind, the canonical block of the watcher's next generation or
 * the proof of a re-formed group) — in `collected` when the superseded copy is a member its group
 * still holds (`supersedeHeldMember`: a range re-proven in place stays in its aggregate group) —
 * and a `collected` one too, staying `collected` (`replaced-collected`): an old-branch proof still in
 * flight when an L2 rewind finished was recorded as new and collected before the re-proof of its
 * re-formed group arrived; the newest attempt of a producer always wins, and the caller sends the
 * holding group back (`sendBackStaleMemberHolder`). Anything else — the same attempt again, an
 * earlier one — is a duplicate and writes nothing.
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
    const staleAttempt = messageData(existing).envelope.attempt;
    if (!REPLACEABLE.has(existing.status) || item.data.envelope.attempt <= staleAttempt) return 'duplicate';
    if (existing.status === 'collected') {
      // The copy's other fields stay (`releasedBy`: which rewind let it go, read by the collectors).
      const data = { ...existing.data, ...fresh.data, [REPLACED_ATTEMPT_FIELD]: staleAttempt };
      const replaced = { ...fresh, status: 'collected', data };
      if (await store.replace(replaced, existing.version)) return 'replaced-collected';
      continue;
    }
    const held = heldByOf(existing) !== undefined;
    if (await store.replace(held ? { ...fresh, status: 'collected' } : fresh, existing.version))
      return 'newer-attempt';
  }
}
