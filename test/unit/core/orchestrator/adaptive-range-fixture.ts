import type { AdaptiveSizeConfig } from '../../../../lambdas/core/config/adaptive-size-schema.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { epochOfRange, firstRangeLength } from '../../../../lambdas/core/orchestrator/collector/range-cut.js';
import type { StoredItem } from '../../../../lambdas/core/ports/state-store.js';
import { groupsOf } from './group-invariants.js';
import { devnetConfig, withRangeCollector } from './orchestrator-fixture.js';

/** Adaptive settings small enough for a test: epochs of 8 blocks, 2-6 blocks per range, 60 s target. */
export const SMALL_EPOCHS: AdaptiveSizeConfig = {
  sizeName: 'range',
  targetSeconds: 60,
  epochBlocks: 8,
  minBlocks: 2,
  maxBlocks: 6,
  initialBlocks: 5,
};

/**
 * The devnet config with the range stage sized adaptively (no max wait), plus `range-b` reading
 * the same blocks with the same collector (so the same `sizeName`).
 */
export function adaptiveConfig(
  adaptiveSize: AdaptiveSizeConfig = SMALL_EPOCHS,
  extra: { groupSize?: number; maxGasPerRange?: string } = {},
): PipelineConfig {
  const config = withRangeCollector(devnetConfig(), {
    strategy: 'sequential',
    keyKind: 'block',
    adaptiveSize,
    ...extra,
  });
  const range = config.stages.find((s) => s.name === 'range')!;
  return {
    ...config,
    stages: [...config.stages, { ...range, name: 'range-b', outputTopic: 'range-proofs-b' }],
  };
}

/** Group spans `[start, end]` of a stage, in order. */
export function spansOf(items: readonly StoredItem[], stage: string): [bigint, bigint][] {
  return groupsOf(items, stage).map((g) => [g.start, g.end]);
}

/** The stored range sizes by epoch start. */
export function storedSizes(items: readonly StoredItem[]): Map<bigint, number> {
  const sizes = new Map<bigint, number>();
  for (const item of items.filter((i) => i.kind === 'range-size')) {
    const data = item.data as { epochStart: string; blocks: number };
    sizes.set(BigInt(data.epochStart), data.blocks);
  }
  return sizes;
}

/**
 * The spans the rule gives blocks 1…n of `gas` (origin 0) under the stored `sizes`, written out
 * independently of the collector: an epoch end closes a range, an epoch's size and `groupSize`
 * cap it, `maxGasPerRange` cuts it; stops at the first epoch without a stored size.
 */
export function expectedAdaptiveSpans(
  gas: readonly bigint[],
  sizes: ReadonlyMap<bigint, number>,
  epochBlocks: number,
  extra: { groupSize?: number; maxGasPerRange?: bigint } = {},
): [bigint, bigint][] {
  const spans: [bigint, bigint][] = [];
  let at = 0n;
  for (;;) {
    const { epochStart, blocksLeft } = epochOfRange(at, 0n, epochBlocks);
    const size = sizes.get(epochStart);
    if (size === undefined) return spans;
    const cap = Math.min(size, blocksLeft, extra.groupSize ?? Number.POSITIVE_INFINITY);
    const blocks = firstRangeLength(gas.slice(Number(at)), cap, extra.maxGasPerRange);
    if (blocks === undefined) return spans;
    spans.push([at, at + BigInt(blocks)]);
    at += BigInt(blocks);
  }
}
