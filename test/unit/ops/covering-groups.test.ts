import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { groupItem, newGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import { coveringGroups } from '../../../ops/commands/groups/covering-groups.js';

describe('groups still covering a span (prove-range, retry of an abandoned group)', () => {
  it('counts live groups that overlap, not split, abandoned or invalidated ones, nor the one excepted', async () => {
    // Prepare: range groups over (0,5], (5,10], (10,15], (15,20], (20,25] in different statuses
    const store = new MemoryStateStore();
    const statuses = ['collected', 'split', 'abandoned', 'invalidated', 'collected'] as const;
    for (const [i, status] of statuses.entries()) {
      const start = BigInt(i * 5);
      await store.create({ ...groupItem(newGroup('range', start, start + 5n, [])), status });
    }
    // Act
    const all = await coveringGroups({ store }, 'range', { start: 0n, end: 25n });
    const except = await coveringGroups({ store }, 'range', { start: 0n, end: 25n }, 'range/0-5');
    const outside = await coveringGroups({ store }, 'range', { start: 25n, end: 30n });
    // Assess
    expect(all.map((g) => g.id)).toEqual(['range/0-5', 'range/20-25']);
    expect(except.map((g) => g.id)).toEqual(['range/20-25']);
    expect(outside).toEqual([]);
  });
});
