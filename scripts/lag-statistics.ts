/** One sample of the local run's heads (`npm run bench:lag`). */
export interface LagSample {
  /** Epoch ms the sample was taken. */
  readonly atMs: number;
  readonly l2Head: bigint;
  /** Highest L2 block an aggregate proof covers (the end of the last succeeded aggregate group). */
  readonly provenHead: bigint;
  /** The oracle's latest proposed L2 block. */
  readonly proposedHead: bigint;
  /** The proposed head block's L2 timestamp, unix seconds. */
  readonly proposedHeadTimestamp: number;
}

/** The bound a run's proposed-head lag is checked against, and how it is made. */
export interface LagBound {
  /** Most blocks the proposed head may trail the L2 head by, after the first proposal. */
  readonly blocks: number;
  /** How `blocks` was worked out, e.g. `2 × submissionInterval 10 + proposer period 10 blocks`. */
  readonly rule: string;
  /** Most blocks per minute the lag may grow by over the run's last half. */
  readonly slopeBlocksPerMinute: number;
}

/** p50, p95 and max of a series. */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** What `npm run bench:lag` prints. */
export interface LagStatistics {
  /** Seconds from the run's start to the first sample that saw a proposal; undefined without one. */
  readonly firstProposalSeconds: number | undefined;
  /** Samples after the first proposal the figures are taken over. */
  readonly samples: number;
  /** L2 head − proposed head, in blocks. */
  readonly lagBlocks: Percentiles | undefined;
  /** Sample time − the proposed head block's timestamp, in seconds. */
  readonly lagSeconds: Percentiles | undefined;
  /** L2 head − proven head, in blocks. */
  readonly provenLagBlocks: Percentiles | undefined;
  /** Least-squares slope of the block lag over the last half of those samples (≈ 0 when bounded). */
  readonly slopeBlocksPerMinute: number | undefined;
  readonly bound: LagBound;
  /** Max block lag ≤ the bound and slope ≤ the bound's; false also when no proposal was seen. */
  readonly pass: boolean;
}

/** The p-th percentile (0-100) of `values` by nearest rank. @throws Error on an empty series. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile: expected at least one value (got none)');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

/** Least-squares slope of `y` over `x`; undefined with fewer than two distinct `x`. */
export function slope(points: readonly { readonly x: number; readonly y: number }[]): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (sxx === 0) return undefined;
  return points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0) / sxx;
}

/**
 * The lag figures of a run: the first proposal is the first sample whose proposed head is above the
 * first sample's (the oracle's starting block); the percentiles and the slope are taken over the
 * samples from there on, the slope over their last half (so the climb to the first steady state
 * does not count as growth).
 *
 * @example
 * lagStatistics(samples, startedAtMs, { blocks: 30, rule: '…', slopeBlocksPerMinute: 1 }).pass
 */
export function lagStatistics(
  samples: readonly LagSample[],
  startedAtMs: number,
  bound: LagBound,
): LagStatistics {
  const startHead = samples[0]?.proposedHead;
  const first = samples.findIndex((s) => startHead !== undefined && s.proposedHead > startHead);
  const after = first < 0 ? [] : samples.slice(first);
  const lagBlocks = after.map((s) => Number(s.l2Head - s.proposedHead));
  const lastHalf = after.slice(Math.floor(after.length / 2));
  const slopePerMinute = slope(
    lastHalf.map((s) => ({ x: s.atMs / 60_000, y: Number(s.l2Head - s.proposedHead) })),
  );
  const blocks = percentiles(lagBlocks);
  const pass =
    blocks !== undefined &&
    blocks.max <= bound.blocks &&
    slopePerMinute !== undefined &&
    slopePerMinute <= bound.slopeBlocksPerMinute;
  return {
    firstProposalSeconds: first < 0 ? undefined : ((after[0] as LagSample).atMs - startedAtMs) / 1000,
    samples: after.length,
    lagBlocks: blocks,
    lagSeconds: percentiles(after.map((s) => s.atMs / 1000 - s.proposedHeadTimestamp)),
    provenLagBlocks: percentiles(after.map((s) => Number(s.l2Head - s.provenHead))),
    slopeBlocksPerMinute: slopePerMinute,
    bound,
    pass,
  };
}

/**
 * The bound of the local run: a proposal carries at least `submissionInterval` blocks, one more
 * span is being proven while it is sent, and a proof can wait a proposer period for its run, so
 * the proposed head trails the L2 head by at most 2 × submissionInterval + the proposer period in
 * L2 blocks; a bounded lag grows by less than 1 block a minute.
 */
export function localRunLagBound(input: {
  readonly submissionInterval: number;
  readonly proposerEverySeconds: number;
  readonly l2BlockTimeSeconds: number;
}): LagBound {
  const periodBlocks = Math.ceil(input.proposerEverySeconds / input.l2BlockTimeSeconds);
  return {
    blocks: 2 * input.submissionInterval + periodBlocks,
    rule: `2 × submissionInterval ${input.submissionInterval} + proposer period ${input.proposerEverySeconds} s = ${periodBlocks} blocks`,
    slopeBlocksPerMinute: 1,
  };
}
