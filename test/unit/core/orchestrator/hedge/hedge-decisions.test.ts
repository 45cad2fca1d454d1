import { describe, expect, it } from 'vitest';
import { hedgeSchema } from '../../../../../lambdas/core/config/hedge-schema.js';
import { p90, sizeBucket } from '../../../../../lambdas/core/orchestrator/hedge/duration-percentile.js';
import { failureOfHedgedAttempt } from '../../../../../lambdas/core/orchestrator/hedge/hedge-race.js';
import { hedgeReason } from '../../../../../lambdas/core/orchestrator/hedge/hedge-trigger.js';

const CONFIG = hedgeSchema.parse({ afterP90Multiple: 2, runnableSeconds: 600, maxShare: 0.1 });

describe('proof hedging: observed durations', () => {
  it.each([
    [1n, 1],
    [2n, 2],
    [5n, 8],
    [30n, 32],
    [32n, 32],
    [33n, 64],
  ])('puts a group of %s blocks in size bucket %s', (blocks, bucket) => {
    // Act
    const actual = sizeBucket(blocks);
    // Assess
    expect(actual).toBe(bucket);
  });

  it('takes the p90 by nearest rank, whatever the order, and none of no samples', () => {
    // Prepare
    const ten = [100, 10, 90, 20, 80, 30, 70, 40, 60, 50];
    // Act
    const ofTen = p90(ten);
    const ofFive = p90([5, 1, 4, 2, 3]);
    // Assess
    expect(ofTen).toBe(90);
    expect(ofFive).toBe(5);
    expect(p90([])).toBeUndefined();
  });
});

describe('proof hedging: the trigger', () => {
  it('defaults minSamples to 5 and the queue to on-demand, and refuses a share above 1 by name', () => {
    // Act
    const refused = hedgeSchema.safeParse({ afterP90Multiple: 2, maxShare: 1.5 });
    // Assess
    expect(CONFIG).toMatchObject({ minSamples: 5, queue: 'on-demand' });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('maxShare');
  });

  it('hedges a job past the multiple of its p90, or RUNNABLE past the limit, never below minSamples', () => {
    // Prepare
    const observed = { p90: 300, samples: 5, bucket: 32 };
    // Act
    const slow = hedgeReason(CONFIG, { ...observed, runningSeconds: 600 });
    const notYet = hedgeReason(CONFIG, { ...observed, runningSeconds: 599 });
    const waiting = hedgeReason(CONFIG, { ...observed, runnableSeconds: 600 });
    const fewSamples = hedgeReason(CONFIG, { ...observed, samples: 4, runningSeconds: 6000 });
    // Assess
    expect(slow).toBe('slow: running 600 s ≥ 2 × p90 300 s (bucket 32, 5 samples)');
    expect(notYet).toBeUndefined();
    expect(waiting).toBe('runnable: waiting 600 s ≥ runnableSeconds 600 (bucket 32, 5 samples)');
    expect(fewSamples).toBeUndefined();
  });
});

describe('proof hedging: one job failing', () => {
  const hedge = { name: 'range-0-5-a1-h', outputKey: 'k', claimedAt: 't', reason: 'slow' };

  it('waits for the other job, and fails the attempt only when both failed, infrastructure only if both were', () => {
    // Act
    const first = failureOfHedgedAttempt(hedge, {
      side: 'main',
      error: 'host reclaimed',
      failureClass: 'infrastructure',
    });
    const again = failureOfHedgedAttempt(
      { ...hedge, sideFailure: { side: 'main', error: 'host reclaimed', failureClass: 'infrastructure' } },
      { side: 'main', error: 'host reclaimed', failureClass: 'infrastructure' },
    );
    const both = failureOfHedgedAttempt(
      { ...hedge, sideFailure: { side: 'main', error: 'host reclaimed', failureClass: 'infrastructure' } },
      { side: 'hedge', error: 'exit code 1' },
    );
    const unhedged = failureOfHedgedAttempt(undefined, { side: 'main', error: 'exit code 1' });
    // Assess
    expect(first).toEqual({ kind: 'wait' });
    expect(again).toEqual({ kind: 'duplicate' });
    expect(both).toEqual({
      kind: 'fail',
      failure: { error: 'both jobs of the hedged attempt failed: main: host reclaimed; hedge: exit code 1' },
    });
    expect(unhedged).toEqual({ kind: 'fail', failure: { error: 'exit code 1' } });
  });
});
