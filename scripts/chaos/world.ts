import { resolve } from 'node:path';
import { InstantJobRunner, syntheticWord } from '../../devnet/instant-job-runner.js';
import { ManualClock } from '../../lambdas/adapters/memory/manual-clock.js';
import { MemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryJobRunner } from '../../lambdas/adapters/memory/memory-job-runner.js';
import { MemoryLogger } from '../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMessageBus } from '../../lambdas/adapters/memory/memory-message-bus.js';
import { MemoryMetrics } from '../../lambdas/adapters/memory/memory-metrics.js';
import { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store.js';
import { loadPipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import type { OrchestratorDeps } from '../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { CheckpointGrant } from '../../lambdas/core/orchestrator/setup/program-plugin.js';
import { programPlugins } from '../../lambdas/core/programs/program-plugins.js';
import { CrashSwitch } from './crash-switch.js';
import { RecordingJobRunner } from './recording-job-runner.js';

const ROLLUP_CONFIG_HASH = syntheticWord('chaos-rollup-config');

/** The grant the simulated proposer gives every aggregate group. */
export const CHAOS_GRANT: CheckpointGrant = {
  checkpoint: { l1BlockNumber: '1', l1BlockHash: syntheticWord('chaos-l1-checkpoint') },
  rangeVkey: syntheticWord('chaos-range-vkey'),
  proverAddress: '0x00000000000000000000000000000000000c4a05',
};

/**
 * The committed devnet pipeline config the simulation runs; with `safe`, following the L2 safe head
 * (the finality an L2 reorg is rewound under; a `finalized` block that changes halts instead).
 */
export function chaosConfig(finality: 'finalized' | 'safe' = 'finalized'): PipelineConfig {
  const config = loadPipelineConfig(resolve(import.meta.dirname, '../../config/devnet.json'));
  return { ...config, chains: { ...config.chains, l2: { ...config.chains.l2, finality } } };
}

/** Everything one seed's run shares: the real orchestrator over the in-memory ports. */
export interface World {
  readonly deps: OrchestratorDeps;
  readonly store: MemoryStateStore;
  readonly bus: MemoryMessageBus;
  readonly blobs: MemoryBlobStore;
  readonly jobs: RecordingJobRunner;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly crash: CrashSwitch;
  /** Writes a valid synthetic result to a job's output key (the prover's own blob client). */
  readonly prover: InstantJobRunner;
}

export function makeWorld(config: PipelineConfig = chaosConfig()): World {
  const clock = new ManualClock();
  const store = new MemoryStateStore({ now: () => clock.now() });
  const crash = new CrashSwitch(store);
  const bus = new MemoryMessageBus();
  const blobs = new MemoryBlobStore();
  const jobs = new RecordingJobRunner(new MemoryJobRunner(), blobs, (spec) =>
    crash.check(`submit ${spec.name}`),
  );
  const logger = new MemoryLogger();
  const deps: OrchestratorDeps = {
    config,
    store,
    bus: {
      publish: async (envelopes) => {
        crash.check('publish');
        await bus.publish(envelopes);
      },
    },
    blobs,
    jobs,
    clock,
    logger,
    metrics: new MemoryMetrics(),
    programs: programPlugins({ rollupConfigHash: ROLLUP_CONFIG_HASH }),
    origin: BigInt(config.chains.l2.startBlock),
  };
  const prover = new InstantJobRunner({
    blobs,
    context: { rollupConfigHash: ROLLUP_CONFIG_HASH, ...CHAOS_GRANT },
    complete: async () => {},
  });
  return { deps, store, bus, blobs, jobs, clock, logger, crash, prover };
}
