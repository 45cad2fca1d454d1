import type { StateStore } from '../../ports/state-store.js';
import { assertTransition, MESSAGE_TRANSITIONS } from '../../status.js';

/** The data field of a superseded member that names the group still holding it. */
export const HELD_BY_FIELD = 'heldBy';

/**
 * The group that holds a superseded message as a member (`data.heldBy`), or undefined when the
 * message is not a held member being re-proven (a reopened proof waiting in `pending`'s place).
 */
export function heldByOf(item: { readonly status: string; readonly data: Record<string, unknown> }) {
  const heldBy = item.data[HELD_BY_FIELD];
  return item.status === 'superseded' && typeof heldBy === 'string' ? heldBy : undefined;
}

/** A message's data without the group that held it (the group is gone: an L2 rewind invalidated it). */
export function withoutHeldBy(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { [HELD_BY_FIELD]: _held, ...rest } = data;
  return rest;
}

/**
 * Moves a `collected` member of group `heldBy` to `superseded`, remembering the group: its producing
 * group is re-proven in place (the member's L1 head left L1), and `recordMessage` puts the re-proof
 * straight back in `collected`, so it stays a member of the same group and no collector sees it.
 * Returns the status the message ends in (a no-op when it is not collected); undefined when unknown.
 */
export async function supersedeHeldMember(
  store: StateStore,
  id: string,
  heldBy: string,
): Promise<string | undefined> {
  for (;;) {
    const item = await store.get(id);
    if (item === undefined) return undefined;
    if (item.status !== 'collected') return item.status;
    assertTransition(MESSAGE_TRANSITIONS, `message ${id}`, 'collected', 'superseded');
    const next = { ...item, status: 'superseded', data: { ...item.data, [HELD_BY_FIELD]: heldBy } };
    if (await store.replace(next, item.version)) return 'superseded';
  }
}
