import { describe, expect, it } from 'vitest';
import type { AdaptiveSizeConfig } from '../../../../lambdas/core/config/adaptive-size-schema.js';
import type { ProvingStageConfig } from '../../../../lambdas/core/config/stage-schema.js';
import { sizeForPace } from '../../../../lambdas/core/orchestrator/collector/adaptive-range-size.js';
import {
  epochOfRange,
  RangeCutArgumentError,
} from '../../../../lambdas/core/orchestrator/collector/range-cut.js';
import { ProvingPace, secondsPerBlock } from '../../../../lambdas/core/orchestrator/hedge/proving-pace.js';
import { recordJobDuration } from '../../../../lambdas/core/orchestrator/hedge/record-job-duration.js';
import { adaptiveConfig, SMALL_EPOCHS } from './adaptive-range-fixture.js';
import { makeDeps } from './orchestrator-fixture.js';

const SETTINGS: AdaptiveSizeConfig = {
  sizeName: 'range',
  targetSeconds: 600,
  epochBlocks: 1800,
  minBlocks: 10,
  maxBlocks: 300,
};

describe('epochOfRange', () => {
  it.each([
    ['at the origin', 100n, 100n, 50, 100n, 50],
    ['inside the first epoch', 130n, 100n, 50, 100n, 20],
    ['on an epoch boundary', 150n, 100n, 50, 150n, 50],
    ['one block before a boundary', 199n, 100n, 50, 150n, 1],
    ['before the origin (an operator rewind)', 99n, 100n, 50, 50n, 1],
  ] as const)('%s', (_name, position, origin, epochBlocks, epochStart, blocksLeft) => {
    // Prepare: the case's row
    // Act
    const epoch = epochOfRange(position, origin, epochBlocks);
    // Assess
    expect(epoch).toEqual({ epochStart, blocksLeft });
  });

  it('refuses an epoch that is not a whole number of blocks ≥ 1', () => {
    expect(() => epochOfRange(0n, 0n, 0)).toThrow(RangeCutArgumentError);
    expect(() => epochOfRange(0n, 0n, 2.5)).toThrow('epochBlocks: got 2.5, expected an integer ≥ 1');
  });
});

describe('sizeForPace', () => {
  it.each([
    ['target ÷ seconds per block', 4, 150],
    ['rounded down', 7, 85],
    ['clamped to maxBlocks when fast', 0.5, 300],
    ['clamped to minBlocks when slow', 100, 10],
    ['maxBlocks for jobs that took no time', 0, 300],
    ['minBlocks before any job, without initialBlocks', undefined, 10],
  ] as const)('%s', (_name, perBlock, blocks) => {
    expect(sizeForPace(SETTINGS, perBlock)).toBe(blocks);
  });

  it('initialBlocks before any job', () => {
    expect(sizeForPace({ ...SETTINGS, initialBlocks: 120 }, undefined)).toBe(120);
  });

  it('settles where a job with a fixed overhead takes the target', () => {
    // Prepare: a job takes 120 s + 4 s per block; the target is 600 s, so 120 blocks
    let blocks = sizeForPace(SETTINGS, undefined);
    // Act: one epoch after another, each sized from the last epoch's job
    for (let epoch = 0; epoch < 30; epoch++)
      blocks = sizeForPace(SETTINGS, secondsPerBlock([{ blocks, seconds: 120 + 4 * blocks }]));
    // Assess
    expect(Math.abs(blocks - 120)).toBeLessThanOrEqual(1);
  });
});

describe('secondsPerBlock', () => {
  it('spreads total seconds over total blocks, none for no jobs', () => {
    expect(
      secondsPerBlock([
        { blocks: 10, seconds: 50 },
        { blocks: 30, seconds: 110 },
      ]),
    ).toBe(4);
    expect(secondsPerBlock([])).toBeUndefined();
  });
});

describe('recordJobDuration (adaptive stages)', () => {
  it('records the job’s exact blocks and seconds under the sizeName, and no hedge bucket without hedge', async () => {
    // Prepare
    const t = makeDeps(adaptiveConfig());
    const stage = t.deps.config.stages.find((s) => s.name === 'range') as ProvingStageConfig;
    // Act
    await recordJobDuration(t.deps, stage, { start: 8n, end: 13n }, { durationSeconds: 42 });
    await recordJobDuration(t.deps, stage, { start: 13n, end: 16n }, {});
    // Assess
    expect((await new ProvingPace(t.store, SMALL_EPOCHS.sizeName).read()).samples).toEqual([
      { blocks: 5, seconds: 42 },
    ]);
    expect(t.store.all().filter((i) => i.kind === 'job-durations')).toEqual([]);
  });
});
