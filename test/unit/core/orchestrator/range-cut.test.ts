import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cutRanges,
  firstRangeLength,
  RangeCutArgumentError,
} from '../../../../lambdas/core/orchestrator/collector/range-cut.js';

describe('firstRangeLength', () => {
  it.each([
    ['closes at groupSize', [1n, 1n, 1n, 1n], 3, 100n, 3],
    ['closes before the block that would pass the gas limit', [5n, 5n, 5n], 10, 10n, 2],
    [
      'keeps a range whose gas equals the limit open: a next block of 0 gas still fits',
      [5n, 5n],
      10,
      10n,
      undefined,
    ],
    ['lets a block above the limit stand alone', [50n, 1n], 10, 10n, 1],
    ['closes before a block above the limit', [1n, 50n], 10, 10n, 1],
    ['cuts by count alone without a gas limit', [10n ** 12n, 10n ** 12n], 2, undefined, 2],
    ['cuts by gas alone with groupSize Infinity', [4n, 4n, 4n], Number.POSITIVE_INFINITY, 8n, 2],
    ['waits while the sequence decides nothing', [1n, 1n], 3, 100n, undefined],
    ['waits on an empty sequence', [], 3, 100n, undefined],
  ] as const)('%s', (_name, gasUsed, groupSize, maxGas, expected) => {
    // Prepare: the case's row
    // Act
    const length = firstRangeLength(gasUsed, groupSize, maxGas);
    // Assess
    expect(length).toBe(expected);
  });

  it.each([
    ['a groupSize of 0', [1n], 0, 10n, 'groupSize: got 0'],
    ['a fractional groupSize', [1n], 1.5, 10n, 'groupSize: got 1.5'],
    [
      'no bound at all',
      [1n],
      Number.POSITIVE_INFINITY,
      undefined,
      'groupSize: got Infinity without maxGasPerRange',
    ],
    ['a gas limit of 0', [1n], 2, 0n, 'maxGasPerRange: got 0'],
    ['negative gas', [1n, -1n], 5, 10n, 'gasUsed[1]: got -1'],
  ] as const)('refuses %s, naming the argument', (_name, gasUsed, groupSize, maxGas, message) => {
    // Prepare: the case's row
    // Act
    const cut = () => firstRangeLength(gasUsed, groupSize, maxGas);
    // Assess
    expect(cut).toThrow(RangeCutArgumentError);
    expect(cut).toThrow(message);
  });
});

describe('cutRanges', () => {
  it('cuts a sequence range after range and leaves the undecided tail', () => {
    // Prepare
    const gasUsed = [3n, 3n, 3n, 9n, 1n];
    // Act
    const cuts = cutRanges(gasUsed, 2, 8n);
    // Assess
    expect(cuts).toEqual({
      ranges: [
        { blocks: 2, gasUsed: 6n },
        { blocks: 1, gasUsed: 3n },
        { blocks: 1, gasUsed: 9n },
      ],
      undecided: 1,
    });
  });

  it('covers every block once, each range within groupSize and the gas limit unless a single block and no shorter than the rule allows; a longer sequence keeps the ranges it had', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 40n }), { maxLength: 60 }),
        fc.array(fc.bigInt({ min: 0n, max: 40n }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        fc.bigInt({ min: 1n, max: 100n }),
        (gasUsed, more, groupSize, maxGas) => {
          // Prepare: the generated sequence
          // Act
          const cuts = cutRanges(gasUsed, groupSize, maxGas);
          const longer = cutRanges([...gasUsed, ...more], groupSize, maxGas);
          // Assess
          const blocks = cuts.ranges.reduce((sum, r) => sum + r.blocks, 0);
          expect(blocks + cuts.undecided).toBe(gasUsed.length);
          let at = 0;
          for (const range of cuts.ranges) {
            const members = gasUsed.slice(at, at + range.blocks);
            expect(range.blocks).toBeGreaterThanOrEqual(1);
            expect(range.blocks).toBeLessThanOrEqual(groupSize);
            expect(range.gasUsed).toBe(members.reduce((a, b) => a + b, 0n));
            if (range.blocks > 1) expect(range.gasUsed).toBeLessThanOrEqual(maxGas);
            // Each range is as long as the rule allows: full, a lone heavy block, or the next would not fit.
            const next = gasUsed[at + range.blocks];
            const closed =
              range.blocks === groupSize ||
              range.gasUsed > maxGas ||
              (next !== undefined && range.gasUsed + next > maxGas);
            expect(closed).toBe(true);
            at += range.blocks;
          }
          expect(cuts.undecided).toBeLessThan(groupSize);
          expect(longer.ranges.slice(0, cuts.ranges.length)).toEqual(cuts.ranges);
        },
      ),
    );
  });
});
