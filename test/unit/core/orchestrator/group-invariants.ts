import { expect } from 'vitest';
import type { StoredItem } from '../../../../lambdas/core/ports/state-store.js';

export interface GroupView {
  readonly id: string;
  readonly status: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly memberIds: readonly string[];
}

/** Groups of one stage that were formed by the collector (not bisect children), ordered by start. */
export function groupsOf(items: readonly StoredItem[], stage: string): GroupView[] {
  return items
    .filter((i) => i.kind === `group#${stage}` && i.data.parentGroupId === undefined)
    .map((i) => ({
      id: i.id,
      status: i.status,
      start: BigInt(i.data.start as string),
      end: BigInt(i.data.end as string),
      memberIds: i.data.memberIds as string[],
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/**
 * Asserts the Sequential guarantees: groups chain from `from` without gap or overlap, ids are
 * unique, and no message is in two groups. Returns the end of the last group.
 */
export function expectContiguousGroups(groups: readonly GroupView[], from: bigint): bigint {
  let at = from;
  const seen = new Set<string>();
  for (const group of groups) {
    expect(group.start, `group ${group.id} starts where the previous ended`).toBe(at);
    expect(group.end > group.start).toBe(true);
    at = group.end;
    for (const member of group.memberIds) {
      expect(seen.has(member), `${member} is in one group only`).toBe(false);
      seen.add(member);
    }
  }
  expect(new Set(groups.map((g) => g.id)).size).toBe(groups.length);
  return at;
}

/**
 * `member` when message `id` is `collected` or `pending` and named by a group of `stage` (block
 * members stay pending: membership is the group's `memberIds`), else the message's status.
 */
export function membershipOf(items: readonly StoredItem[], stage: string, id: string): string | undefined {
  const item = items.find((i) => i.id === id);
  if (item === undefined) return undefined;
  const named = groupsOf(items, stage).some((g) => g.memberIds.includes(id));
  return named && (item.status === 'collected' || item.status === 'pending') ? 'member' : item.status;
}
