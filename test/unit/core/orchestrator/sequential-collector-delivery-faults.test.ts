import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { expectContiguousGroups, groupsOf, membershipOf } from './group-invariants.js';
import {
  blockEnvelope,
  devnetConfig,
  makeDeps,
  rangeProofEnvelope,
  withRangeCollector,
} from './orchestrator-fixture.js';
import { blocks } from './sequential-collector-fixture.js';

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
            t.store
              .all()
              .filter(
                (i) => i.kind === 'message#blocks' && membershipOf(t.store.all(), 'range', i.id) !== 'member',
              ),
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
    // The message, the cursor, the group's create and its job's submission (members are not written).
    expect(writes).toBe(4);

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
      for (const n of blocks(1, 5))
        expect(membershipOf(t.store.all(), 'range', `blocks/${n}`)).toBe('member');
    }
  });

  it('a process that crashes at any write of a run of deliveries, then gets them all again, forms every group once', async () => {
    // Prepare: blocks 1-12 delivered one at a time (two full groups, then two waiting blocks),
    // counting the writes when nothing fails; the same deps (one process) live through the crash,
    // so what the process remembers of finished groups must never hide a group left half-done.
    const deliver = async (t: ReturnType<typeof makeDeps>) => {
      for (const n of blocks(1, 12)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    };
    const dry = makeDeps();
    let writes = 0;
    dry.store.beforeWrite = () => {
      writes++;
    };
    await deliver(dry);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: writes }), async (failAt) => {
        const t = makeDeps();
        let seen = 0;
        t.store.beforeWrite = (operation, id) => {
          seen++;
          if (seen === failAt) throw new Error(`crash before ${operation} ${id}`);
        };
        // Act: the run crashes at write `failAt`; SQS then redelivers every block
        await expect(deliver(t)).rejects.toThrow(/crash before/);
        await deliver(t);
        // Assess
        expect(groupsOf(t.store.all(), 'range').map((g) => [g.id, g.status])).toEqual([
          ['range/0-5', 'running'],
          ['range/5-10', 'running'],
        ]);
        expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-5-10-a1']);
        for (const n of blocks(1, 10))
          expect(membershipOf(t.store.all(), 'range', `blocks/${n}`)).toBe('member');
      }),
      { numRuns: Math.min(writes, 60) },
    );
  });
});
