import type { StateStore } from '../../ports/state-store.js';

/** Kind of the proposer's `proposal/<n>` items (the proposer's `PROPOSAL_KIND`; a test keeps them equal). */
export const PROPOSAL_ITEM_KIND = 'proposal';

/**
 * The highest L2 block of a `proposal/<n>` in status `proposed`: work at or below it is on L1 and
 * is never rewound. Undefined before the first proposal.
 */
export async function proposedHead(store: StateStore): Promise<bigint | undefined> {
  const proposed = await store.list(PROPOSAL_ITEM_KIND, 'proposed');
  const last = proposed.at(-1);
  return last === undefined ? undefined : BigInt(last.id.slice(last.id.lastIndexOf('/') + 1));
}
