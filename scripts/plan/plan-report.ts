import { isProvingStage } from '../../lambdas/core/config/stage-schema.js';
import type { BlockStamp } from './block-timeline.js';
import { instancePrice } from './default-world.js';
import { aggregateProvingSeconds, rangeProvingSeconds } from './proving-time.js';
import type { PlanRun } from './simulate-plan.js';

/** Mean seconds a proposed block spent in each step between production and L1; they add up to the mean lag. */
export interface LagBreakdown {
  readonly finality: number;
  readonly rangeWait: number;
  readonly queue: number;
  readonly proving: number;
  readonly aggregateWait: number;
  readonly checkpoint: number;
  readonly aggregate: number;
  readonly proposal: number;
}

/** The planner's figures for one scenario (the `--json` shape, without the baseline). */
export interface PlanFigures {
  readonly lagSeconds: {
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly breakdownSeconds: LagBreakdown;
  /** p95 of the per-block physical floor (docs/planner.md defines it). */
  readonly floorSeconds: number;
  /** lagSeconds.p95 / floorSeconds. */
  readonly ratio: number;
  /** Busy GPU-seconds / billed instance-seconds (whole simulation, as the costs below). */
  readonly gpuUtilization: number;
  /** Share of the GPU cap running jobs while jobs waited for a GPU. */
  readonly backlogBusyShare: number;
  readonly instanceHours: number;
  /** GPU and L1 cost of the whole simulation per block proposed in it, × blocks per day. */
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
  const sums: Record<keyof LagBreakdown, number> = {
    finality: 0,
    rangeWait: 0,
    queue: 0,
    proving: 0,
    aggregateWait: 0,
    checkpoint: 0,
    aggregate: 0,
    proposal: 0,
  };
  let proposed = 0;
  for (let n = 1; n <= windowBlocks; n++) {
    const produced = n * chain.blockSeconds;
    floors.push(floorSeconds(run, n));
    const done = timeline.at('proposed', n);
    if (Number.isNaN(done)) {
      lags.push(run.endSeconds - produced);
      continue;
    }
    proposed += 1;
    lags.push(done - produced);
    let previous = produced + run.finalitySeconds;
    sums.finality += run.finalitySeconds;
    for (const [step, stamp] of STEPS) {
      const at = timeline.at(stamp, n);
      sums[step] += at - previous;
      previous = at;
    }
  }
  const breakdown = Object.fromEntries(
    Object.entries(sums).map(([step, sum]) => [step, round(proposed === 0 ? 0 : sum / proposed)]),
  ) as unknown as LagBreakdown;
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
    floorSeconds: round(floor),
    ratio: round(floor === 0 ? 0 : lag.p95 / floor, 3),
    gpuUtilization: round(billed === 0 ? 0 : busySeconds / billed, 3),
    backlogBusyShare: round(run.fleet.backlogBusyShare, 3),
    instanceHours: round(billed / 3600, 2),
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
