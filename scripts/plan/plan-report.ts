import { isProvingStage } from '../../lambdas/core/config/stage-schema.js';
import type { BlockStamp } from './block-timeline.js';
import { instancePrice } from './default-world.js';
import { aggregateProvingSeconds, rangeProvingSeconds } from './proving-time.js';
import type { PlanRun } from './simulate-plan.js';

/**
 * Mean seconds a block spent in each step between production and L1: over the proposed blocks
 * (they add up to the mean lag), or, when none was proposed, over the blocks that reached each
 * step; null for a step no block of that basis completed.
 */
export interface LagBreakdown {
  readonly finality: number | null;
  readonly rangeWait: number | null;
  readonly queue: number | null;
  readonly proving: number | null;
  readonly aggregateWait: number | null;
  readonly checkpoint: number | null;
  readonly aggregate: number | null;
  readonly proposal: number | null;
}

/** Which blocks the breakdown's means are over: `proposed` ones, or (none proposed) those that `reached` each step. */
export type BreakdownBasis = 'proposed' | 'reached';

/** The planner's figures for one scenario (the `--json` shape, without the baseline). */
export interface PlanFigures {
  readonly lagSeconds: {
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly breakdownSeconds: LagBreakdown;
  readonly breakdownOver: BreakdownBasis;
  /** p95 of the per-block physical floor (docs/planner.md defines it). */
  readonly floorSeconds: number;
  /** lagSeconds.p95 / floorSeconds. */
  readonly ratio: number;
  /** Busy GPU-seconds / billed instance-seconds (whole simulation, as the costs below). */
  readonly gpuUtilization: number;
  /** Share of the GPU cap running jobs while jobs waited for a GPU. */
  readonly backlogBusyShare: number;
  readonly instanceHours: number;
  /** GPU and L1 cost of the whole simulation (known even when nothing was proposed). */
  readonly usdTotal: number;
  /** GPU and L1 cost of the whole simulation per block proposed in it, × blocks per day (NaN, JSON null, when none was proposed). */
  readonly usdPerDay: number;
  readonly usdPerL2Block: number;
  readonly usdPerTx: number;
  /** Blocks produced in the window; `unproposedBlocks` of them were not proposed when the run ended (their lag is a lower bound). */
  readonly blocks: number;
  readonly unproposedBlocks: number;
  readonly proposals: number;
  readonly checkpoints: number;
  readonly spotReclaims: number;
  readonly errors: readonly string[];
}

/** Step name → the stamp it ends at (each starts where the previous ended; `finality` starts at production). */
const STEPS: readonly [keyof LagBreakdown, BlockStamp][] = [
  ['rangeWait', 'rangeSubmitted'],
  ['queue', 'rangeStarted'],
  ['proving', 'rangeDone'],
  ['aggregateWait', 'aggregateFormed'],
  ['checkpoint', 'aggregateSubmitted'],
  ['aggregate', 'aggregateDone'],
  ['proposal', 'proposed'],
];

/** The figures of one simulation: lag percentiles and breakdown, the floor, utilisation and cost over the window. */
export function planFigures(run: PlanRun): PlanFigures {
  const { timeline, windowBlocks, scenario } = run;
  const { chain, l1 } = scenario.model;
  const lags: number[] = [];
  const floors: number[] = [];
  let proposed = 0;
  for (let n = 1; n <= windowBlocks; n++) {
    const produced = n * chain.blockSeconds;
    floors.push(floorSeconds(run, n));
    const done = timeline.at('proposed', n);
    if (Number.isNaN(done)) lags.push(run.endSeconds - produced);
    else {
      proposed += 1;
      lags.push(done - produced);
    }
  }
  const breakdownOver: BreakdownBasis = proposed > 0 ? 'proposed' : 'reached';
  const breakdown = lagBreakdown(run, breakdownOver);
  const lag = percentiles(lags);
  const floor = percentiles(floors).p95;
  const { billedSeconds, busySeconds } = run.fleet;
  const billed = billedSeconds.spot + billedSeconds['on-demand'];
  const instanceType = scenario.model.fleet.instanceType;
  const gpuUsd =
    (billedSeconds.spot / 3600) * instancePrice(instanceType, true) +
    (billedSeconds['on-demand'] / 3600) * instancePrice(instanceType, false);
  const checkpoints = run.l1.checkpoints.length;
  const proposals = run.l1.proposals.length;
  const gas = checkpoints * l1.gasPerCheckpoint + proposals * l1.gasPerProposal;
  const totalUsd = gpuUsd + gas * l1.gasPriceGwei * 1e-9 * l1.ethUsd;
  // NaN (JSON null) when nothing was proposed: no cost per block can be told.
  const perBlock = run.proposedBlocks === 0 ? Number.NaN : totalUsd / run.proposedBlocks;
  return {
    lagSeconds: lag,
    breakdownSeconds: breakdown,
    breakdownOver,
    floorSeconds: round(floor),
    ratio: round(floor === 0 ? 0 : lag.p95 / floor, 3),
    gpuUtilization: round(billed === 0 ? 0 : busySeconds / billed, 3),
    backlogBusyShare: round(run.fleet.backlogBusyShare, 3),
    instanceHours: round(billed / 3600, 2),
    usdTotal: round(totalUsd, 2),
    usdPerDay: round((perBlock * 86_400) / chain.blockSeconds, 2),
    usdPerL2Block: round(perBlock, 6),
    usdPerTx: round(perBlock / chain.txPerBlock, 7),
    blocks: windowBlocks,
    unproposedBlocks: windowBlocks - proposed,
    proposals,
    checkpoints,
    spotReclaims: run.fleet.reclaims,
    errors: run.errors,
  };
}

/**
 * Mean seconds per step: over the proposed blocks of the window (`proposed`), or over the blocks
 * that reached each step (`reached`, for a run that proposed nothing); null where no block counts.
 */
function lagBreakdown(run: PlanRun, over: BreakdownBasis): LagBreakdown {
  const { timeline, windowBlocks } = run;
  const steps = [['finality', 'produced'] as const, ...STEPS];
  const sums = steps.map(() => ({ seconds: 0, blocks: 0 }));
  for (let n = 1; n <= windowBlocks; n++) {
    if (over === 'proposed' && Number.isNaN(timeline.at('proposed', n))) continue;
    let previous = n * run.scenario.model.chain.blockSeconds;
    for (const [i, [, stamp]] of steps.entries()) {
      const at = stamp === 'produced' ? previous + run.finalitySeconds : timeline.at(stamp, n);
      if (Number.isNaN(at)) break;
      const sum = sums[i] as { seconds: number; blocks: number };
      sum.seconds += at - previous;
      sum.blocks += 1;
      previous = at;
    }
  }
  return Object.fromEntries(
    steps.map(([step], i) => {
      const sum = sums[i] as { seconds: number; blocks: number };
      return [step, sum.blocks === 0 ? null : round(sum.seconds / sum.blocks)];
    }),
  ) as unknown as LagBreakdown;
}

/**
 * The physical floor of block `n` (offset from the origin): the rest of its proposal span must be
 * produced ((spanEnd − n) × block time: the oracle takes whole submission intervals), the span's
 * last block must reach the configured finality, its last range be proven on a free GPU at once,
 * the aggregate be proven at once, and the proposal wait one L1 block. No queue, no cold start, no
 * schedule, no checkpoint wait.
 */
export function floorSeconds(run: PlanRun, n: number): number {
  const { model, rangeSize, config } = run.scenario;
  const aggregate = config.stages.filter(isProvingStage).find((s) => s.executor.l1Checkpoint === true);
  const minSpan =
    aggregate?.collector.strategy === 'sequential' ? (aggregate.collector.minSpan ?? rangeSize) : rangeSize;
  const span = Math.ceil(minSpan / rangeSize) * rangeSize;
  const spanEnd = Math.ceil(n / span) * span;
  const mode = aggregate?.executor.proofMode ?? 'groth16';
  return (
    (spanEnd - n) * model.chain.blockSeconds +
    run.finalitySeconds +
    rangeProvingSeconds(model.proving, model.chain, rangeSize) +
    aggregateProvingSeconds(model.proving, span / rangeSize, mode) +
    model.l1.blockSeconds
  );
}

/** Nearest-rank p50, p95, the max and the mean of `values` (zeros when empty). */
export function percentiles(values: readonly number[]): {
  p50: number;
  p95: number;
  max: number;
  mean: number;
} {
  if (values.length === 0) return { p50: 0, p95: 0, max: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    p50: round(rank(0.5)),
    p95: round(rank(0.95)),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(mean),
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
