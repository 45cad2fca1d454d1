import { describe, expect, it } from 'vitest';
import { PLAN_PAGE_SIZE } from '../../../../lambdas/core/orchestrator/collector/plan-page.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { expectContiguousGroups, groupsOf } from './group-invariants.js';
import { blockEnvelope, makeDeps, rangeProofEnvelope } from './orchestrator-fixture.js';
import { blocks } from './sequential-collector-fixture.js';

describe('SequentialCollector reads a bounded page, not the backlog', () => {
  it('a dispatch behind a gap reads about one page however long the pending backlog', async () => {
    // Prepare: block 1 is missing, so blocks 2..301 pile up pending
    const t = makeDeps();
    for (const n of blocks(2, 301)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Act
    const before = t.store.listedItems;
    await dispatchMessage(t.deps, blockEnvelope(302n, t.clock));
    // Assess
    expect(t.store.listedItems - before).toBeLessThanOrEqual(2 * PLAN_PAGE_SIZE);
    expect(groupsOf(t.store.all(), 'range')).toEqual([]);
  });

  it('catches up a backlog in reads linear in its length, with every block grouped', async () => {
    // Prepare
    const t = makeDeps();
    for (const n of blocks(2, 301)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Act: the missing block arrives: 60 groups form in one dispatch
    const before = t.store.listedItems;
    await dispatchMessage(t.deps, blockEnvelope(1n, t.clock));
    // Assess: reading the whole backlog per group would be ~300 * 60 / 2 = 9000 items
    expect(t.store.listedItems - before).toBeLessThan(3000);
    const groups = groupsOf(t.store.all(), 'range');
    expect(groups).toHaveLength(60);
    expect(expectContiguousGroups(groups, 0n)).toBe(300n);
    expect((await t.store.get('blocks/301'))!.status).toBe('pending');
  });

  it('follows a chain across pages of overlapping range messages', async () => {
    // Prepare: many overlapping ranges at the cursor, then a chain that reaches minSpan
    const t = makeDeps();
    for (let end = 2n; end < 2n + BigInt(PLAN_PAGE_SIZE) + 5n; end++)
      await dispatchMessage(t.deps, rangeProofEnvelope(0n, end, t.clock));
    // Act
    await dispatchMessage(t.deps, rangeProofEnvelope(1n, 10n, t.clock));
    // Assess: 0-2 is the shortest at 0; the chain 0-2 needs a message at 2, which does not exist
    expect(groupsOf(t.store.all(), 'aggregate')).toEqual([]);
    // Act: the chain continues at 2 past the first page's messages
    await dispatchMessage(t.deps, rangeProofEnvelope(2n, 12n, t.clock));
    // Assess
    const groups = groupsOf(t.store.all(), 'aggregate');
    expect(groups.map((g) => [g.id, g.memberIds])).toEqual([
      ['aggregate/0-12', ['range-proofs/0-2', 'range-proofs/2-12']],
    ]);
  });
});
