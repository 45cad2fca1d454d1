import { sortKeyOf } from '../../messages/ids.js';
import type { StateStore, StoredItem } from '../../ports/state-store.js';

/**
 * Pending messages read per list call while planning a group. Planning pages from the cursor and
 * stops at the first gap or once the group is complete, so a dispatch reads about one group's worth
 * of messages however large the backlog is (no O(n²) catch-up).
 */
export const PLAN_PAGE_SIZE = 32;

/**
 * One page of a stage's pending messages in sort-key order. `complete`: no pending message followed
 * the last one when the page was read.
 */
export interface PlanPage {
  readonly items: readonly StoredItem[];
  readonly complete: boolean;
}

/** The pending messages of `kind` from `at` on, one page (`PLAN_PAGE_SIZE`). */
export async function readPlanPage(store: StateStore, kind: string, at: bigint): Promise<PlanPage> {
  const items = await store.list(kind, 'pending', { fromSortKey: sortKeyOf(at), limit: PLAN_PAGE_SIZE });
  return { items, complete: items.length < PLAN_PAGE_SIZE };
}

/**
 * What is left of a page read earlier from `at` on: as complete as the page was (nothing followed
 * its last item then), so planning reads on after it exactly as after the page itself.
 */
export function planPageFrom(page: PlanPage, at: bigint): PlanPage {
  const from = sortKeyOf(at);
  return { items: page.items.filter((item) => item.sortKey >= from), complete: page.complete };
}
