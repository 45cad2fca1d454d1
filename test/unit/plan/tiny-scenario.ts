import { resolve } from 'node:path';
import { ManualClock } from '../../../lambdas/adapters/memory/manual-clock.js';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { readConfigFile } from '../../../lambdas/core/config/read-config-file.js';
import type { JobCompletion } from '../../../lambdas/core/orchestrator/group/job-completion.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import type { JobSpec } from '../../../lambdas/core/ports/job-runner.js';
import { Prng } from '../../../scripts/chaos/prng.js';
import type { ChainProfile } from '../../../scripts/plan/chain-profiles.js';
import type { WorldOverrides } from '../../../scripts/plan/default-world.js';
import { type FleetCaps, GpuFleet } from '../../../scripts/plan/gpu-fleet.js';
import { GpuPoolJobRunner } from '../../../scripts/plan/gpu-pool-job-runner.js';
import type { PlanRequest } from '../../../scripts/plan/plan-scenarios.js';
import { VirtualSchedule } from '../../../scripts/plan/virtual-schedule.js';
import { DEFAULT_FLEET } from '../../../scripts/plan/world-model.js';

/** 30-second blocks finalized 10 s after production: slow enough for one GPU, small enough to follow by hand. */
export const TINY_CHAIN: ChainProfile = {
  name: 'tiny',
  blockSeconds: 30,
  gasPerBlock: 1_000_000,
  txPerBlock: 1,
  finalizedSeconds: 10,
  safeSeconds: 4,
};

/**
 * A fixed world: no stragglers, a range proof takes 100 s, an aggregate 30 s + a 20 s Groth16 wrap, a cold
 * instance 30 s start + 20 s pull, no Spot (on-demand g6.xlarge, never reclaimed, kept warm),
 * L1 blocks of 12 s, 50,000 gas per checkpoint and 100,000 per proposal at 10 gwei and $2,000/ETH.
 */
export const TINY_WORLD: WorldOverrides = {
  proving: {
    cyclesPerGas: 0,
    rangeOverheadCycles: 0,
    rangeSetupSeconds: 100,
    aggregateBaseSeconds: 30,
    aggregateSecondsPerRange: 0,
    wrapSeconds: { groth16: 20, plonk: 20, compressed: 0, core: 0 },
    stragglerShare: 0,
  },
  fleet: { startSeconds: 30, imagePullSeconds: 20, idleShutdownSeconds: 1000, spotInterruptionsPerHour: 0 },
  l1: { blockSeconds: 12, gasPerCheckpoint: 50_000, gasPerProposal: 100_000, gasPriceGwei: 10, ethUsd: 2000 },
};

/**
 * The devnet config reshaped: the watcher every 10 s, 5-block ranges, one 10-block aggregate
 * (submission interval 10), the proposer every 60 s with one confirmation, one GPU of g6.xlarge
 * for the range stage (`aws.maxVcpus` split over the two stages' environments, as the stack does).
 */
export function tinyConfig(changes: (raw: TinyRaw) => void = () => {}): unknown {
  const raw = readConfigFile(resolve(import.meta.dirname, '../../../config/devnet.json')) as TinyRaw;
  raw.watcher.schedule.everySeconds = 10;
  const [range, aggregate] = raw.stages;
  range.collector = { strategy: 'sequential', keyKind: 'block', groupSize: 5 };
  range.executor.timeoutSeconds = 3600;
  range.executor.instanceTypes = ['g6.xlarge'];
  aggregate.executor.timeoutSeconds = 3600;
  raw.proposer.schedule.everySeconds = 60;
  raw.proposer.confirmations = 1;
  // Two Batch stages with one on-demand compute environment each: the range stage's holds one job.
  raw.aws = { maxVcpus: 2 * range.executor.resources.vcpus, spot: false };
  changes(raw);
  return raw;
}

/** The parts of the devnet config file the tiny scenario changes. */
export interface TinyRaw {
  watcher: { schedule: { everySeconds: number } };
  stages: [TinyStage, TinyStage];
  proposer: { schedule: { everySeconds: number }; confirmations: number; submissionInterval: number };
  aws?: { maxVcpus: number; spot: boolean };
}

interface TinyStage {
  collector: Record<string, unknown>;
  executor: { timeoutSeconds: number; instanceTypes?: string[]; resources: { vcpus: number } };
}

/** The tiny request: 300 s of blocks (ten), seeded, proposer on its schedule. */
export function tinyRequest(overrides: Partial<PlanRequest> = {}): PlanRequest {
  return {
    raw: tinyConfig(),
    source: 'tiny',
    chain: TINY_CHAIN,
    hours: 300 / 3600,
    proposer: 'schedule',
    seed: 1,
    world: TINY_WORLD,
    drainHours: 1,
    ...overrides,
  };
}

/** The instant the tiny job pool's virtual clock starts at. */
export const POOL_T0 = Date.parse('2026-01-01T00:00:00Z');

const devnetRangeExecutor = provingStageNamed(
  loadPipelineConfig(resolve(import.meta.dirname, '../../../config/devnet.json')),
  'range',
).executor;

/** A job of the devnet's range stage on span 0-5 whose attempt timeout (100,000 s) never cuts it. */
export function tinyJobSpec(name: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    name,
    stage: 'range',
    groupId: 'range/0-5',
    attempt: 1,
    inputKey: 'in',
    outputKey: 'out',
    executor: { ...devnetRangeExecutor, timeoutSeconds: 100_000 },
    ...extra,
  };
}

/**
 * The planner's job runner alone on a tiny pool: g6.xlarge instances ready 10 s after launch,
 * never reclaimed, jobs of 1000 s; `spot` puts Spot first. Returns the runner, its fleet and
 * schedule, and every completion with its second since `POOL_T0`.
 */
export function tinyJobPool(caps: FleetCaps = { total: 1, spot: 0 }, spot = false) {
  const schedule = new VirtualSchedule(new ManualClock(new Date(POOL_T0).toISOString()));
  const fleet = new GpuFleet(
    {
      ...DEFAULT_FLEET,
      startSeconds: 10,
      imagePullSeconds: 0,
      instanceType: 'g6.xlarge',
      spot,
      spotInterruptionsPerHour: 0,
    },
    caps,
    new Prng(1),
  );
  const finished: { at: number; completion: JobCompletion }[] = [];
  const runner = new GpuPoolJobRunner({
    schedule,
    fleet,
    spot,
    durationSeconds: () => 1000,
    writeOutput: async () => {},
    events: {
      submitted: () => {},
      started: () => {},
      finished: async (_spec, completion) => {
        finished.push({ at: (schedule.nowMs - POOL_T0) / 1000, completion });
      },
    },
  });
  return { schedule, fleet, runner, finished };
}
