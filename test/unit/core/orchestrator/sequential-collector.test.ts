import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';
import {
  PLAN_PAGE_SIZE,
  SequentialCollector,
} from '../../../../lambdas/core/orchestrator/collector/sequential-collector.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { expectContiguousGroups, groupsOf } from './group-invariants.js';
import {
  blockEnvelope,
  devnetConfig,
  makeDeps,
  rangeProofEnvelope,
  withRangeCollector,
} from './orchestrator-fixture.js';

const blocks = (from: number, to: number): bigint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

describe('SequentialCollector (block keys)', () => {
  it('forms groups of groupSize contiguous blocks starting at the cursor (startBlock)', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    for (const n of blocks(1, 12)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess
    const groups = groupsOf(t.store.all(), 'range');
    expect(groups.map((g) => g.id)).toEqual(['range/0-5', 'range/5-10']);
    expect(groups[0]!.memberIds).toEqual(['blocks/1', 'blocks/2', 'blocks/3', 'blocks/4', 'blocks/5']);
    expect((await t.store.get('cursor/range'))!.data.position).toBe('10');
    expect((await t.store.get('blocks/11'))!.status).toBe('pending');
    expect((await t.store.get('blocks/3'))!.status).toBe('collected');
  });

  it('never skips a gap, even after the max wait', async () => {
    // Prepare
    const t = makeDeps();
    for (const n of [1n, 2n, 4n, 5n, 6n, 7n]) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Act
    t.clock.advanceSeconds(25);
    await runCollectors(t.deps);
    // Assess: only the contiguous prefix 1..2 is flushed; 4..7 wait for block 3
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/0-2']);
    expect((await t.store.get('blocks/4'))!.status).toBe('pending');
    // Act: the missing block arrives
    await dispatchMessage(t.deps, blockEnvelope(3n, t.clock));
    // Assess
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/0-2', 'range/2-7']);
  });

  it('flushes a partial group only once its oldest message waited maxWaitSeconds', async () => {
    // Prepare
    const t = makeDeps();
    await dispatchMessage(t.deps, blockEnvelope(1n, t.clock));
    t.clock.advanceSeconds(10);
    await dispatchMessage(t.deps, blockEnvelope(2n, t.clock));
    // Act + Assess
    t.clock.advanceSeconds(9);
    expect((await runCollectors(t.deps)).groups).toEqual([]);
    t.clock.advanceSeconds(1);
    const outcome = await runCollectors(t.deps);
    expect(outcome.groups).toEqual([{ groupId: 'range/0-2', status: 'running' }]);
  });

  it('starts at config.chains.l2.startBlock and skips messages behind the cursor', async () => {
    // Prepare
    const base = devnetConfig();
    const config = { ...base, chains: { ...base.chains, l2: { ...base.chains.l2, startBlock: '100' } } };
    const t = makeDeps(config);
    // Act
    for (const n of blocks(99, 105)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/100-105']);
    expect((await t.store.get('blocks/99'))!.status).toBe('skipped');
    expect((await t.store.get('blocks/100'))!.status).toBe('skipped');
  });

  it('lets only one of two concurrent collectors form the group (the cursor race loser forms nothing)', async () => {
    // Prepare
    const t = makeDeps(devnetConfig(), {});
    for (const n of blocks(1, 4)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await t.store.create({
      id: 'blocks/5',
      kind: 'message#blocks',
      status: 'pending',
      sortKey: '00000000000000000004',
      data: { envelope: blockEnvelope(5n, t.clock), receivedAt: t.clock.now().toISOString() },
    });
    const stage = t.deps.config.stages[0]!;
    const rule = stage.collector;
    if (rule.strategy !== 'sequential') throw new Error('range stage is sequential');
    // Act
    const outcomes = await Promise.all([
      new SequentialCollector(stage, rule).collect(t.deps),
      new SequentialCollector(stage, rule).collect(t.deps),
    ]);
    // Assess
    expect(outcomes.flatMap((o) => o.formed.map((g) => g.id))).toEqual(['range/0-5']);
  });
});

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

describe('SequentialCollector (range keys, minSpan)', () => {
  it('groups contiguous ranges until the span reaches minSpan and parks them for a checkpoint', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    for (const [s, e] of [
      [0n, 5n],
      [5n, 8n],
      [10n, 15n],
      [8n, 10n],
      [15n, 18n],
    ] as const) {
      await dispatchMessage(t.deps, rangeProofEnvelope(s, e, t.clock));
    }
    // Assess
    const groups = groupsOf(t.store.all(), 'aggregate');
    expect(groups.map((g) => [g.id, g.status])).toEqual([['aggregate/0-10', 'awaiting-checkpoint']]);
    expect(groups[0]!.memberIds).toEqual(['range-proofs/0-5', 'range-proofs/5-8', 'range-proofs/8-10']);
    expect((await t.store.get('range-proofs/10-15'))!.status).toBe('pending');
  });
});

/** A seeded generator of small delays, so concurrent calls interleave differently per run. */
function seededTurns(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 4;
  };
}

describe('SequentialCollector properties', () => {
  it('shuffled, duplicated, concurrent block deliveries: no gap, no overlap, every block in exactly one group', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.context(),
        async (count, groupSize, parallel, seed, advanceBefore, ctx) => {
          // Prepare
          const config = withRangeCollector(devnetConfig(), {
            strategy: 'sequential',
            keyKind: 'block',
            groupSize,
            maxWaitSeconds: 20,
          });
          const t = makeDeps(config, { delayTurns: seededTurns(seed) });
          const order = fc.sample(
            fc.shuffledSubarray(blocks(1, count), { minLength: count, maxLength: count }),
            {
              seed,
              numRuns: 1,
            },
          )[0]!;
          const deliveries = [...order, ...order.filter((_, i) => i % 3 === 0)];
          ctx.log(`deliveries ${deliveries.join(',')}`);
          // Act: batches of concurrent deliveries, sometimes after the max wait has passed
          for (let i = 0, batch = 0; i < deliveries.length; i += parallel, batch++) {
            if (advanceBefore[batch % advanceBefore.length]) t.clock.advanceSeconds(21);
            await Promise.all(
              deliveries
                .slice(i, i + parallel)
                .map((n) => dispatchMessage(t.deps, blockEnvelope(n, t.clock))),
            );
          }
          t.clock.advanceSeconds(21);
          await runCollectors(t.deps);
          // Assess
          const groups = groupsOf(t.store.all(), 'range');
          expect(expectContiguousGroups(groups, 0n)).toBe(BigInt(count));
          const members = groups.flatMap((g) => g.memberIds).sort();
          expect(members).toEqual(
            blocks(1, count)
              .map((n) => `blocks/${n}`)
              .sort(),
          );
          expect(
            t.store.all().filter((i) => i.kind === 'message#blocks' && i.status !== 'collected'),
          ).toEqual([]);
          expect(new Set(t.jobs.submitted.map((j) => j.groupId)).size).toBe(groups.length);
          for (const group of groups) {
            if (group.memberIds.length < groupSize) continue;
            expect(group.memberIds.length).toBe(groupSize);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('shuffled, duplicated, concurrent range deliveries: groups chain from the cursor with span ≥ minSpan', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        async (lengths, parallel, seed) => {
          // Prepare
          const t = makeDeps(devnetConfig(), { delayTurns: seededTurns(seed) });
          const ranges: [bigint, bigint][] = [];
          let at = 0n;
          for (const length of lengths) {
            ranges.push([at, at + BigInt(length)]);
            at += BigInt(length);
          }
          const order = fc.sample(
            fc.shuffledSubarray(ranges, { minLength: ranges.length, maxLength: ranges.length }),
            {
              seed,
              numRuns: 1,
            },
          )[0]!;
          const deliveries = [...order, ...order.slice(0, 2)];
          // Act
          for (let i = 0; i < deliveries.length; i += parallel) {
            await Promise.all(
              deliveries
                .slice(i, i + parallel)
                .map(([s, e]) => dispatchMessage(t.deps, rangeProofEnvelope(s, e, t.clock))),
            );
          }
          // Assess
          const groups = groupsOf(t.store.all(), 'aggregate');
          const end = expectContiguousGroups(groups, 0n);
          for (const group of groups) {
            expect(group.end - group.start >= 10n).toBe(true);
            expect(group.status).toBe('awaiting-checkpoint');
          }
          const grouped = new Set(groups.flatMap((g) => g.memberIds));
          for (const [s, e] of ranges) {
            const item = (await t.store.get(`range-proofs/${s}-${e}`))!;
            expect(item.status).toBe(grouped.has(item.id) ? 'collected' : 'pending');
            expect(grouped.has(item.id)).toBe(e <= end);
          }
          expect(at - end < 10n).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('SequentialCollector crash between steps', () => {
  it('finishes a group exactly once whichever single write fails', async () => {
    // Prepare: count the writes the 5th block's dispatch makes when nothing fails
    const dry = makeDeps();
    for (const n of blocks(1, 4)) await dispatchMessage(dry.deps, blockEnvelope(n, dry.clock));
    let writes = 0;
    dry.store.beforeWrite = () => {
      writes++;
    };
    await dispatchMessage(dry.deps, blockEnvelope(5n, dry.clock));
    expect(writes).toBeGreaterThan(5);

    for (let failAt = 1; failAt <= writes; failAt++) {
      const t = makeDeps();
      for (const n of blocks(1, 4)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
      let seen = 0;
      t.store.beforeWrite = (operation, id) => {
        seen++;
        if (seen === failAt) throw new Error(`crash before ${operation} ${id}`);
      };
      // Act: the delivery crashes, then SQS redelivers it
      await expect(dispatchMessage(t.deps, blockEnvelope(5n, t.clock))).rejects.toThrow(/crash before/);
      await dispatchMessage(t.deps, blockEnvelope(5n, t.clock));
      // Assess
      const groups = groupsOf(t.store.all(), 'range');
      expect(
        groups.map((g) => [g.id, g.status]),
        `crash at write ${failAt}`,
      ).toEqual([['range/0-5', 'running']]);
      expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
      for (const n of blocks(1, 5)) expect((await t.store.get(`blocks/${n}`))!.status).toBe('collected');
    }
  });
});

describe('MemoryStateStore', () => {
  it('versions items and refuses conditional writes that lost', async () => {
    // Prepare
    const store = new MemoryStateStore();
    const item = { id: 'a', kind: 'k', status: 's', sortKey: '1', data: { x: 1 } };
    // Act + Assess
    expect(await store.create(item)).toBe(true);
    expect(await store.create(item)).toBe(false);
    expect(await store.replace({ ...item, status: 't' }, 1)).toBe(true);
    expect(await store.replace({ ...item, status: 'u' }, 1)).toBe(false);
    expect((await store.get('a'))!.version).toBe(2);
    expect(await store.list('k', 't')).toHaveLength(1);
    expect(await store.delete('a', 1)).toBe(false);
    expect(await store.delete('a', 2)).toBe(true);
    expect(await store.get('a')).toBeUndefined();
  });

  it('lists by kind and status in sortKey order from a sort key, with a limit', async () => {
    // Prepare
    const store = new MemoryStateStore();
    for (const key of ['3', '1', '2', '4']) {
      await store.create({ id: `m${key}`, kind: 'k', status: 'p', sortKey: key, data: {} });
    }
    await store.create({ id: 'other', kind: 'k', status: 'q', sortKey: '0', data: {} });
    // Act
    const listed = await store.list('k', 'p', { fromSortKey: '2', limit: 2 });
    // Assess
    expect(listed.map((i) => i.id)).toEqual(['m2', 'm3']);
  });
});
