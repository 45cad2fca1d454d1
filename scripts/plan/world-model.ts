import type { ExecutorConfig } from '../../lambdas/core/config/schema.js';
import type { ChainProfile } from './chain-profiles.js';

/** How long SP1 takes on one GPU (sources in docs/planner.md). */
export interface ProvingModel {
  /** zkVM cycles per unit of L2 gas executed in the range program. */
  readonly cyclesPerGas: number;
  /** Cycles every range proof pays whatever its size (derivation, oracle verification). */
  readonly rangeOverheadCycles: number;
  /** Seconds before proving starts (witness generation, loading the proving key). */
  readonly rangeSetupSeconds: number;
  /** Cycles one GPU proves per second. */
  readonly gpuCyclesPerSecond: number;
  /** Fixed seconds of an aggregate proof (setup, the aggregation program's own cycles). */
  readonly aggregateBaseSeconds: number;
  /** Seconds per range proof the aggregate verifies. */
  readonly aggregateSecondsPerRange: number;
  /** Seconds of the final wrap by proof mode (`compressed` has none). */
  readonly wrapSeconds: Readonly<Record<ExecutorConfig['proofMode'], number>>;
  /** Share of jobs that straggle (a slow or throttled host), drawn per job from the seed. */
  readonly stragglerShare: number;
  /** How many times its modelled duration a straggler takes. */
  readonly stragglerFactor: number;
}

/** The GPU fleet: how instances start, are reclaimed and are billed. */
export interface FleetModel {
  /** EC2 instance type of every job (its price is looked up in `INSTANCE_PRICES`). */
  readonly instanceType: string;
  /** Seconds from launch until the instance has joined the compute environment. */
  readonly startSeconds: number;
  /** Seconds to pull the prover image on a fresh instance. */
  readonly imagePullSeconds: number;
  /** Seconds an idle instance is kept before Batch scales it in. */
  readonly idleShutdownSeconds: number;
  /** Spot instances first (the retry after an infrastructure failure goes on-demand). */
  readonly spot: boolean;
  /** Spot reclaims per instance-hour (a Poisson rate). */
  readonly spotInterruptionsPerHour: number;
  /** Minimum billed seconds per instance (EC2 per-second billing). */
  readonly billingMinimumSeconds: number;
}

/** L1 as the proposer meets it. */
export interface L1Model {
  readonly blockSeconds: number;
  /** Gas of one `proposeL2Output` with a real SP1 verifier. */
  readonly gasPerProposal: number;
  /** Gas of one `checkpointBlockHash`. */
  readonly gasPerCheckpoint: number;
  readonly gasPriceGwei: number;
  readonly ethUsd: number;
}

/** Everything outside the pipeline's code that the planner models. */
export interface WorldModel {
  readonly chain: ChainProfile;
  readonly proving: ProvingModel;
  readonly fleet: FleetModel;
  readonly l1: L1Model;
  /** Seconds from an event to the proposer run it wakes (`--proposer wake`: a Lambda async invoke). */
  readonly wakeLatencySeconds: number;
}

/** Proving defaults; every figure is cited or marked an assumption in docs/planner.md. */
export const DEFAULT_PROVING: ProvingModel = {
  cyclesPerGas: 25,
  rangeOverheadCycles: 500_000_000,
  rangeSetupSeconds: 60,
  gpuCyclesPerSecond: 2_000_000,
  aggregateBaseSeconds: 60,
  aggregateSecondsPerRange: 10,
  wrapSeconds: { groth16: 40, plonk: 100, compressed: 0, core: 0 },
  stragglerShare: 0.05,
  stragglerFactor: 3,
};

/** Fleet defaults (see docs/planner.md). */
export const DEFAULT_FLEET: Omit<FleetModel, 'instanceType' | 'spot'> = {
  startSeconds: 150,
  imagePullSeconds: 120,
  idleShutdownSeconds: 300,
  spotInterruptionsPerHour: 0.05,
  billingMinimumSeconds: 60,
};

/** L1 defaults: gas from `npm run bench:proposer-gas` plus a real Groth16 verification (docs/planner.md). */
export const DEFAULT_L1: L1Model = {
  blockSeconds: 12,
  gasPerProposal: 116_563 + 270_000,
  gasPerCheckpoint: 48_496,
  gasPriceGwei: 2,
  ethUsd: 3000,
};

/** Seconds from a wake-up event to the proposer run (assumption: one async Lambda invoke). */
export const DEFAULT_WAKE_LATENCY_SECONDS = 1;

/** On-demand USD per hour in us-east-1 (AWS EC2 pricing page, assumed 2025-11); Spot = share × that. */
export const INSTANCE_PRICES: Readonly<Record<string, { readonly onDemandUsdPerHour: number }>> = {
  'g6.xlarge': { onDemandUsdPerHour: 0.8048 },
  'g6.2xlarge': { onDemandUsdPerHour: 0.9776 },
  'g6.4xlarge': { onDemandUsdPerHour: 1.3232 },
  'g6e.xlarge': { onDemandUsdPerHour: 1.861 },
  'g6e.4xlarge': { onDemandUsdPerHour: 3.004 },
  'g5.xlarge': { onDemandUsdPerHour: 1.006 },
  'g5.2xlarge': { onDemandUsdPerHour: 1.212 },
  'g5.4xlarge': { onDemandUsdPerHour: 1.624 },
};

/** Spot price as a share of on-demand (assumption: g6/g5 Spot in us-east-1 ran at 35–50 % of on-demand). */
export const SPOT_PRICE_SHARE = 0.4;
