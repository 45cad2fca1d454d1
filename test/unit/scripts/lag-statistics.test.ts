import { describe, expect, it } from 'vitest';
import {
  type LagSample,
  lagStatistics,
  localRunLagBound,
  percentile,
  slope,
} from '../../../scripts/lag-statistics.js';

const START_MS = 1_000_000;
const BOUND = { blocks: 30, rule: 'test bound', slopeBlocksPerMinute: 1 };

/** A sample `second`s after the start at 1 s blocks, the proposed head `lag` blocks behind. */
function at(second: number, proposedHead: number, provenHead = proposedHead): LagSample {
  return {
    atMs: START_MS + second * 1000,
    l2Head: BigInt(second),
    provenHead: BigInt(provenHead),
    proposedHead: BigInt(proposedHead),
    proposedHeadTimestamp: START_MS / 1000 + proposedHead,
  };
}

describe('percentile', () => {
  it.each([
    [50, 5],
    [95, 10],
    [100, 10],
    [0, 1],
  ])('takes the p%d of 1..10 by nearest rank as %d', (p, expected) => {
    // Act / Assess
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p)).toBe(expected);
  });

  it('refuses an empty series', () => {
    // Act / Assess
    expect(() => percentile([], 50)).toThrow(/expected at least one value/);
  });
});

describe('slope', () => {
  it('fits y = 2x + 1 exactly and has no slope with a single x', () => {
    // Act / Assess
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })))).toBeCloseTo(2, 10);
    expect(slope([{ x: 1, y: 1 }])).toBeUndefined();
    expect(
      slope([
        { x: 1, y: 1 },
        { x: 1, y: 5 },
      ]),
    ).toBeUndefined();
  });
});

describe('lagStatistics', () => {
  it('takes the figures from the first proposal on: a sawtooth between 10 and 20 blocks is bounded', () => {
    // Prepare: no proposal for 30 s, then one every 10 s of the block 10 s back (a sample every 5 s).
    const samples = [
      at(0, 0),
      at(15, 0),
      at(30, 20),
      at(35, 20),
      at(40, 30),
      at(45, 30),
      at(50, 40),
      at(55, 40),
    ];
    samples.push(at(60, 50), at(65, 50), at(70, 60), at(75, 60));

    // Act
    const stats = lagStatistics(samples, START_MS, BOUND);

    // Assess
    expect(stats.firstProposalSeconds).toBe(30);
    expect(stats.samples).toBe(10);
    expect(stats.lagBlocks).toEqual({ p50: 10, p95: 15, max: 15 });
    expect(stats.lagSeconds).toEqual({ p50: 10, p95: 15, max: 15 });
    expect(stats.slopeBlocksPerMinute).toBeCloseTo(0, 0);
    expect(stats.pass).toBe(true);
  });

  it('fails a lag that grows by a block every 10 s even while it is under the bound', () => {
    // Prepare: the proposed head advances 9 blocks per 10 s of 10 blocks.
    const samples = [at(0, 0), ...Array.from({ length: 12 }, (_, i) => at(20 + i * 10, 10 + i * 9))];

    // Act
    const stats = lagStatistics(samples, START_MS, BOUND);

    // Assess
    expect(stats.lagBlocks?.max).toBe(21);
    expect(stats.slopeBlocksPerMinute).toBeCloseTo(6, 5);
    expect(stats.pass).toBe(false);
  });

  it('fails a bounded lag above the bound, and reports the proven lag', () => {
    // Prepare
    const samples = [at(0, 0), at(40, 5, 30), at(50, 15, 40), at(60, 25, 50), at(70, 35, 60)];

    // Act
    const stats = lagStatistics(samples, START_MS, BOUND);

    // Assess
    expect(stats.lagBlocks).toEqual({ p50: 35, p95: 35, max: 35 });
    expect(stats.provenLagBlocks).toEqual({ p50: 10, p95: 10, max: 10 });
    expect(stats.pass).toBe(false);
  });

  it('fails a run without a proposal, with no figures', () => {
    // Act
    const stats = lagStatistics([at(0, 0), at(60, 0)], START_MS, BOUND);

    // Assess
    expect(stats).toMatchObject({
      firstProposalSeconds: undefined,
      samples: 0,
      lagBlocks: undefined,
      pass: false,
    });
  });
});

describe('localRunLagBound', () => {
  it('is 2 × submissionInterval + the proposer period in L2 blocks', () => {
    // Act
    const bound = localRunLagBound({
      submissionInterval: 10,
      proposerEverySeconds: 10,
      l2BlockTimeSeconds: 2,
    });

    // Assess
    expect(bound.blocks).toBe(25);
    expect(bound.rule).toMatch(/2 × submissionInterval 10 \+ proposer period 10 s = 5 blocks/);
  });
});
