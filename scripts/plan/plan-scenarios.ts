import type { ChainProfile } from './chain-profiles.js';
import { defaultWorld, type WorldOverrides } from './default-world.js';
import { type ConfigOverrides, type PlanConfig, planConfig } from './plan-config.js';
import type { PlanScenario, ProposerMode } from './simulate-plan.js';

/** What a planner invocation asks for. */
export interface PlanRequest {
  /** A whole config file's JSON. */
  readonly raw: unknown;
  readonly source: string;
  readonly chain: ChainProfile;
  readonly hours: number;
  /** @default the config's cap (the range stage's share of `aws.maxVcpus` / the range job's vCPUs) */
  readonly gpus?: number;
  readonly rangeSize?: number;
  readonly proposer: ProposerMode;
  readonly seed: number;
  readonly world?: WorldOverrides;
  readonly drainHours?: number;
}

/** op-succinct's defaults the baseline runs with (op-succinct docs, validity proposer). */
export const OP_SUCCINCT_DEFAULTS = {
  /** `MAX_CONCURRENT_PROOF_REQUESTS` = 1: one proof at a time, so one GPU. */
  gpus: 1,
  /** `RANGE_PROOF_INTERVAL` = 1800 blocks per range proof. */
  rangeSize: 1800,
  /** `LOOP_INTERVAL` = 60 s between proposer loops. */
  proposerEverySeconds: 60,
  /** No per-attempt timeout short enough to cut a range in the window (assumption: 2 days). */
  rangeTimeoutSeconds: 172_800,
} as const;

/** The scenario of `request` on the pipeline as configured (with its overrides). */
export function configuredScenario(request: PlanRequest): PlanScenario {
  const overrides: ConfigOverrides = request.rangeSize === undefined ? {} : { rangeSize: request.rangeSize };
  return scenarioOf(request, overrides, request.gpus);
}

/**
 * The baseline: the same chain, world and config, run as op-succinct's defaults would be — one
 * proof at a time, 1800-block ranges (at most the submission interval), the proposer every minute.
 */
export function baselineScenario(request: PlanRequest, submissionInterval: number): PlanScenario {
  const d = OP_SUCCINCT_DEFAULTS;
  return scenarioOf(
    { ...request, proposer: 'schedule' },
    {
      rangeSize: Math.min(d.rangeSize, submissionInterval),
      proposerEverySeconds: d.proposerEverySeconds,
      rangeTimeoutSeconds: d.rangeTimeoutSeconds,
    },
    d.gpus,
  );
}

function scenarioOf(
  request: PlanRequest,
  overrides: ConfigOverrides,
  gpus: number | undefined,
): PlanScenario {
  const config = planConfig(request.raw, request.source, overrides);
  const cap = gpus ?? config.gpuCap;
  return {
    config: config.runtime,
    rangeSize: rangeBlocks(config, request.chain),
    model: defaultWorld(request.chain, config, request.world),
    gpus: cap,
    // A cap other than the config's keeps the config's Spot share of it (at least one when Spot is on).
    spotGpus:
      config.spotGpuCap === 0 ? 0 : Math.max(1, Math.round((cap * config.spotGpuCap) / config.gpuCap)),
    hours: request.hours,
    proposer: request.proposer,
    seed: request.seed,
    ...(request.drainHours === undefined ? {} : { drainHours: request.drainHours }),
  };
}

/**
 * Blocks per range on `chain`, whose blocks all carry `gasPerBlock`: `groupSize`, or fewer when
 * `maxGasPerRange` closes the range first (at least one block: a block above the limit stands alone).
 */
export function rangeBlocks(config: PlanConfig, chain: ChainProfile): number {
  if (config.maxGasPerRange === undefined || chain.gasPerBlock === 0) return config.rangeSize;
  return Math.max(1, Math.min(config.rangeSize, Math.floor(config.maxGasPerRange / chain.gasPerBlock)));
}
