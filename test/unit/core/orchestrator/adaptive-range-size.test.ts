import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';
import { rangeSizeId } from '../../../../lambdas/core/orchestrator/collector/adaptive-range-size.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { ProvingPace } from '../../../../lambdas/core/orchestrator/hedge/proving-pace.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import {
  adaptiveConfig,
  expectedAdaptiveSpans,
  SMALL_EPOCHS,
  spansOf,
  storedSizes,
} from './adaptive-range-fixture.js';
import { expectContiguousGroups, groupsOf } from './group-invariants.js';
import { makeDeps, type TestDeps } from './orchestrator-fixture.js';
import { gasBlockEnvelope } from './sequential-collector-fixture.js';

async function deliver(t: TestDeps, numbers: readonly number[], gas: (n: number) => bigint = () => 0n) {
  for (const n of numbers) await dispatchMessage(t.deps, gasBlockEnvelope(BigInt(n), gas(n), t.clock));
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('SequentialCollector (block keys, adaptiveSize)', () => {
  it('cuts ranges of the epoch’s size and closes one at every epoch end', async () => {
    // Prepare: no job observed yet, so every epoch gets initialBlocks 5 within epochs of 8
    const t = makeDeps(adaptiveConfig());
    // Act
    await deliver(t, upTo(20));
    // Assess: 0-5, 5-8 (epoch end), 8-13, 13-16 (epoch end), 16-20 still open
    expect(spansOf(t.store.all(), 'range')).toEqual([
      [0n, 5n],
      [5n, 8n],
      [8n, 13n],
      [13n, 16n],
    ]);
    expect(spansOf(t.store.all(), 'range-b')).toEqual(spansOf(t.store.all(), 'range'));
  });

  it('sizes a later epoch from the observed pace, and never changes a decided epoch', async () => {
    // Prepare: epoch 0 decided at the initial 5 blocks; then jobs observed at 20 s per block
    const t = makeDeps(adaptiveConfig());
    await deliver(t, upTo(3));
    await new ProvingPace(t.store, 'range').add(2, 40);
    // Act
    await deliver(t, [4, 5, 6, 7, 8, 9, 10, 11]);
    // Assess: epoch 0 keeps 5; epoch 8 gets 60 s ÷ 20 s = 3 blocks
    expect(storedSizes(t.store.all())).toEqual(
      new Map([
        [0n, 5],
        [8n, 3],
      ]),
    );
    expect(spansOf(t.store.all(), 'range')).toEqual([
      [0n, 5n],
      [5n, 8n],
      [8n, 11n],
    ]);
  });

  it('clamps the size to minBlocks and maxBlocks', async () => {
    // Prepare: a slow pace (60 s per block → 1, clamped to 2), then an instant one (→ maxBlocks 6)
    const t = makeDeps(adaptiveConfig());
    await new ProvingPace(t.store, 'range').add(1, 60);
    await deliver(t, upTo(1));
    for (let i = 0; i < 20; i++) await new ProvingPace(t.store, 'range').add(10, 0);
    // Act
    await deliver(t, upTo(16).slice(1));
    // Assess
    expect(storedSizes(t.store.all())).toEqual(
      new Map([
        [0n, 2],
        [8n, 6],
      ]),
    );
    expect(spansOf(t.store.all(), 'range').slice(-3)).toEqual([
      [6n, 8n],
      [8n, 14n],
      [14n, 16n],
    ]);
  });

  it('keeps groupSize and maxGasPerRange as caps under the epoch’s size', async () => {
    // Prepare: size 5, groupSize 4, at most 100 gas
    const t = makeDeps(adaptiveConfig(SMALL_EPOCHS, { groupSize: 4, maxGasPerRange: '100' }));
    const gas = [10n, 10n, 10n, 10n, 60n, 60n, 1n, 1n, 1n];
    // Act
    await deliver(t, upTo(9), (n) => gas[n - 1]!);
    // Assess: 0-4 (groupSize), 4-5 (120 would pass), 5-8 (epoch end)
    expect(spansOf(t.store.all(), 'range')).toEqual([
      [0n, 4n],
      [4n, 5n],
      [5n, 8n],
    ]);
  });

  it('reads a size another stage stored, whatever the pace says now', async () => {
    // Prepare: another collector decided epoch 0 at 3 blocks; the pace would now give 6
    const t = makeDeps(adaptiveConfig());
    const decided = { sizeName: 'range', epochStart: '0', blocks: 3, samples: 0, decidedAt: '' };
    await t.store.create({
      id: rangeSizeId('range', 0n),
      kind: 'range-size',
      status: 'decided',
      sortKey: 'x',
      data: decided,
    });
    await new ProvingPace(t.store, 'range').add(10, 0);
    // Act
    await deliver(t, upTo(8));
    // Assess
    expect(spansOf(t.store.all(), 'range')).toEqual([
      [0n, 3n],
      [3n, 6n],
      [6n, 8n],
    ]);
  });

  it('property: any delivery order, concurrency, crash and re-cut gives the same ranges from the stored sizes, in both stages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 60n }), { minLength: 1, maxLength: 24 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 90 })), { maxLength: 6 }),
        fc.integer(),
        fc.integer({ min: 0, max: 40 }),
        async (gas, jobs, seed, crashAt) => {
          // Prepare: both stages share sizeName "range"; jobs are observed while blocks arrive
          const turns = fc.sample(fc.integer({ min: 0, max: 2 }), { seed, numRuns: 200 });
          let turn = 0;
          const t = makeDeps(adaptiveConfig(SMALL_EPOCHS, { maxGasPerRange: '100' }), {
            delayTurns: () => turns[turn++ % turns.length]!,
          });
          const order = fc.sample(
            fc.shuffledSubarray(upTo(gas.length), { minLength: gas.length, maxLength: gas.length }),
            { seed, numRuns: 1 },
          )[0]!;
          let writes = 0;
          const crash = () => {
            if (++writes === crashAt) throw new Error('crash');
          };
          // Act: deliveries two at a time (racing collectors), one write crashing; jobs observed between
          for (let i = 0; i < order.length; i += 2) {
            const pair = order.slice(i, i + 2).map((n) => gasBlockEnvelope(BigInt(n), gas[n - 1]!, t.clock));
            t.store.beforeWrite = crash;
            await Promise.allSettled(pair.map((e) => dispatchMessage(t.deps, e)));
            t.store.beforeWrite = undefined;
            const job = jobs[i / 2];
            if (job !== undefined) await new ProvingPace(t.store, 'range').add(...job);
          }
          await runCollectors(t.deps);
          await Promise.all(
            order.map((n) => dispatchMessage(t.deps, gasBlockEnvelope(BigInt(n), gas[n - 1]!, t.clock))),
          );
          await runCollectors(t.deps);
          // Assess: the cut is the rule's under the stored sizes, one size per epoch, both stages alike
          const sizes = storedSizes(t.store.all());
          const expected = expectedAdaptiveSpans(gas, sizes, SMALL_EPOCHS.epochBlocks, {
            maxGasPerRange: 100n,
          });
          expect(spansOf(t.store.all(), 'range')).toEqual(expected);
          expect(spansOf(t.store.all(), 'range-b')).toEqual(expected);
          expectContiguousGroups(groupsOf(t.store.all(), 'range'), 0n);
          // Act: a re-cut of the same blocks from scratch (a rewind) under a very different pace
          const again = makeDeps(adaptiveConfig(SMALL_EPOCHS, { maxGasPerRange: '100' }));
          for (const item of t.store.all().filter((i) => i.kind === 'range-size'))
            await again.store.create(item);
          for (let k = 0; k < 20; k++) await new ProvingPace(again.store, 'range').add(1, 1000);
          await deliver(again, [...order].reverse(), (n) => gas[n - 1]!);
          // Assess: the same ranges wherever an epoch was decided before
          const recut = spansOf(again.store.all(), 'range');
          expect(recut.slice(0, expected.length)).toEqual(expected);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('ProvingPace', () => {
  it('keeps the latest 20 jobs with their exact block counts', async () => {
    // Prepare
    const pace = new ProvingPace(new MemoryStateStore(), 'range');
    // Act
    for (let i = 1; i <= 25; i++) await pace.add(i, i * 2);
    // Assess
    const { samples } = await pace.read();
    expect(samples).toHaveLength(20);
    expect(samples[0]).toEqual({ blocks: 6, seconds: 12 });
    expect(samples.at(-1)).toEqual({ blocks: 25, seconds: 50 });
  });
});
