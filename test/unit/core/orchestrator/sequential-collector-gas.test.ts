import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { cutRanges } from '../../../../lambdas/core/orchestrator/collector/range-cut.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { expectContiguousGroups, groupsOf, membershipOf } from './group-invariants.js';
import { blockEnvelope, devnetConfig, makeDeps, withRangeCollector } from './orchestrator-fixture.js';
import { gasBlockEnvelope } from './sequential-collector-fixture.js';

/** The devnet config with the range stage cutting by `groupSize` blocks and `maxGasPerRange` gas, no max wait. */
function gasConfig(groupSize: number, maxGasPerRange: string): PipelineConfig {
  return withRangeCollector(devnetConfig(), {
    strategy: 'sequential',
    keyKind: 'block',
    groupSize,
    maxGasPerRange,
  });
}

/** `gasConfig` plus a second range stage `range-b` reading the same `blocks` topic. */
function twoRangeStages(groupSize: number, maxGasPerRange: string): PipelineConfig {
  const config = gasConfig(groupSize, maxGasPerRange);
  const range = config.stages.find((s) => s.name === 'range')!;
  return {
    ...config,
    stages: [...config.stages, { ...range, name: 'range-b', outputTopic: 'range-proofs-b' }],
  };
}

/** Group spans `[start, end]` of a stage, in order. */
function spansOf(t: ReturnType<typeof makeDeps>, stage: string): [bigint, bigint][] {
  return groupsOf(t.store.all(), stage).map((g) => [g.start, g.end]);
}

/** The spans `cutRanges` gives for `gasUsed` of blocks 1…n (the range stage starts at block 0). */
function expectedSpans(gasUsed: readonly bigint[], groupSize: number, maxGas: bigint): [bigint, bigint][] {
  const spans: [bigint, bigint][] = [];
  let at = 0n;
  for (const range of cutRanges(gasUsed, groupSize, maxGas).ranges) {
    spans.push([at, at + BigInt(range.blocks)]);
    at += BigInt(range.blocks);
  }
  return spans;
}

describe('SequentialCollector (block keys, maxGasPerRange)', () => {
  it('closes a group before the block that would pass the gas limit, and lets a heavier block stand alone', async () => {
    // Prepare: groupSize 5, at most 100 gas
    const t = makeDeps(gasConfig(5, '100'));
    const gas = [40n, 40n, 40n, 150n, 10n, 10n, 10n, 10n, 10n, 10n];
    // Act
    for (const [i, g] of gas.entries())
      await dispatchMessage(t.deps, gasBlockEnvelope(BigInt(i + 1), g, t.clock));
    // Assess: 1-2 (80; 120 would pass), 3 (40; 190 would pass), 4 alone (150), 5-9 (groupSize)
    expect(spansOf(t, 'range')).toEqual([
      [0n, 2n],
      [2n, 3n],
      [3n, 4n],
      [4n, 9n],
    ]);
    expect((await t.store.get('blocks/10'))!.status).toBe('pending');
  });

  it('keeps a group whose gas reached the limit open until the next block shows whether it fits', async () => {
    // Prepare
    const t = makeDeps(gasConfig(5, '100'));
    await dispatchMessage(t.deps, gasBlockEnvelope(1n, 50n, t.clock));
    await dispatchMessage(t.deps, gasBlockEnvelope(2n, 50n, t.clock));
    // Act + Assess: 100 gas so far, but a block of 0 gas would still fit
    expect(spansOf(t, 'range')).toEqual([]);
    await dispatchMessage(t.deps, gasBlockEnvelope(3n, 0n, t.clock));
    expect(spansOf(t, 'range')).toEqual([]);
    await dispatchMessage(t.deps, gasBlockEnvelope(4n, 1n, t.clock));
    expect(spansOf(t, 'range')).toEqual([[0n, 3n]]);
  });

  it('counts a block message recorded without gasUsed (before the upgrade) as 0 gas, and warns naming the group', async () => {
    // Prepare: blocks 1-3 from an older watcher, 4 with gas
    const t = makeDeps(gasConfig(4, '100'));
    for (const n of [1n, 2n, 3n]) {
      const { gasUsed: _, ...older } = blockEnvelope(n, t.clock).payload as Record<string, unknown>;
      await dispatchMessage(t.deps, { ...blockEnvelope(n, t.clock), payload: older });
    }
    // Act
    await dispatchMessage(t.deps, gasBlockEnvelope(4n, 100n, t.clock));
    // Assess
    expect(spansOf(t, 'range')).toEqual([[0n, 4n]]);
    expect(t.logger.at('warn')).toContainEqual({
      level: 'warn',
      message: 'group cut with block messages that carry no gasUsed, counted as 0 gas',
      attributes: { groupId: 'range/0-4', messagesWithoutGas: 3 },
    });
  });

  it('refuses a block message whose gasUsed is not a decimal string, naming the message and the field', async () => {
    // Prepare
    const t = makeDeps(gasConfig(4, '100'));
    const bad = blockEnvelope(1n, t.clock);
    // Act
    const dispatching = dispatchMessage(t.deps, {
      ...bad,
      payload: { ...(bad.payload as object), gasUsed: '1.5' },
    });
    // Assess
    await expect(dispatching).rejects.toThrow('invalid block message blocks/1: payload.gasUsed');
  });

  it('two stages reading blocks cut identical ranges, whatever the delivery order', async () => {
    // Prepare
    const t = makeDeps(twoRangeStages(4, '100'));
    const gas = [30n, 90n, 5n, 5n, 5n, 5n, 200n, 60n, 50n, 1n, 1n];
    const order = [5, 2, 9, 1, 11, 3, 7, 4, 10, 6, 8, 2, 9];
    // Act
    for (const n of order) await dispatchMessage(t.deps, gasBlockEnvelope(BigInt(n), gas[n - 1]!, t.clock));
    // Assess
    expect(spansOf(t, 'range')).toEqual(expectedSpans(gas, 4, 100n));
    expect(spansOf(t, 'range-b')).toEqual(spansOf(t, 'range'));
  });

  it('property: random gas and random delivery orders with duplicates give the cut rule’s ranges, every block in one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 120n }), { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.bigInt({ min: 1n, max: 150n }),
        fc.integer(),
        async (gas, groupSize, maxGas, seed) => {
          // Prepare
          const t = makeDeps(twoRangeStages(groupSize, maxGas.toString()));
          const numbers = gas.map((_, i) => i + 1);
          const order = fc.sample(
            fc.shuffledSubarray(numbers, { minLength: gas.length, maxLength: gas.length }),
            {
              seed,
              numRuns: 1,
            },
          )[0]!;
          const deliveries = [...order, ...order.filter((_, i) => i % 3 === 0)];
          // Act
          for (const n of deliveries)
            await dispatchMessage(t.deps, gasBlockEnvelope(BigInt(n), gas[n - 1]!, t.clock));
          await runCollectors(t.deps);
          // Assess
          const expected = expectedSpans(gas, groupSize, maxGas);
          expect(spansOf(t, 'range')).toEqual(expected);
          expect(spansOf(t, 'range-b')).toEqual(expected);
          const groups = groupsOf(t.store.all(), 'range');
          const end = expectContiguousGroups(groups, 0n);
          for (const group of groups) {
            const members = gas.slice(Number(group.start), Number(group.end));
            expect(members.length).toBeLessThanOrEqual(groupSize);
            if (members.length > 1) expect(members.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(maxGas);
          }
          const pending = t.store
            .all()
            .filter(
              (i) =>
                i.kind === 'message#blocks@range' && membershipOf(t.store.all(), 'range', i.id) === 'pending',
            );
          expect(pending.length).toBe(gas.length - Number(end));
        },
      ),
      { numRuns: 40 },
    );
  });
});
