import { dirname, join, resolve } from 'node:path';
import type { DevChains } from '../devnet/chains/start-dev-chains.js';
import { startDevnetChains } from '../devnet/runtime/devnet-chains.js';
import { type DevnetConfig, loadDevnetConfig } from '../devnet/runtime/devnet-config.js';
import { type DevnetManifest, writeDevnetManifest } from '../devnet/runtime/devnet-manifest.js';
import { type LocalPipeline, startLocalPipeline } from '../devnet/runtime/local-pipeline.js';
import { preloadPipelineHandlers } from '../devnet/runtime/pipeline-handlers.js';
import { StartupTimings } from '../devnet/runtime/startup-timings.js';
import { rollupConfigHashOf } from '../lambdas/core/config/rollup-config-hash.js';

/** A fresh local run a benchmark measures: anvil L1/L2 on free ports and the whole pipeline, quiet. */
export interface BenchLocalRun {
  readonly config: DevnetConfig;
  readonly chains: DevChains;
  readonly manifest: DevnetManifest;
  readonly pipeline: LocalPipeline;
  /** Epoch ms just before the chains started. */
  readonly startedAt: number;
  /** The start-up phases the chains and the pipeline reported, counted from `startedAt`. */
  readonly timings: StartupTimings;
}

/**
 * Starts the chains (free ports, the config's local block times) and the pipeline in
 * `stateDirectory`, writes the manifest there, and logs nothing. The caller stops both.
 */
export async function startBenchLocalRun(options: {
  readonly configPath: string;
  readonly stateDirectory: string;
  readonly repoRoot: string;
  /** @default true (see `startLocalPipeline`) */
  readonly proposerWakeups?: boolean;
}): Promise<BenchLocalRun> {
  const { configPath, stateDirectory, repoRoot } = options;
  const config = loadDevnetConfig(configPath);
  const startedAt = Date.now();
  const timings = new StartupTimings(startedAt);
  const onPhase = (phase: string): void => timings.mark(phase);
  // Loaded while the chains start: the handlers' import is seconds of CPU on a busy machine.
  const handlers = preloadPipelineHandlers(repoRoot, { configName: config.name, verbose: false });
  void handlers.then(() => onPhase('handlers loaded'));
  const { chains, manifest } = await startDevnetChains({
    config,
    rollupConfigHash: await rollupConfigHashOf(
      resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
    ),
    l1Port: 0,
    l2Port: 0,
    l1BlockTimeSeconds: config.local.l1BlockTimeSeconds,
    l2BlockTimeSeconds: config.local.l2BlockTimeSeconds,
    onPhase,
  });
  writeDevnetManifest(join(stateDirectory, 'manifest.json'), manifest);
  const pipeline = await startLocalPipeline({
    configPath,
    stateDirectory,
    repoRoot,
    manifest,
    log: () => undefined,
    progressEverySeconds: 0,
    onPhase,
    handlers,
    ...(options.proposerWakeups === undefined ? {} : { proposerWakeups: options.proposerWakeups }),
  });
  return { config, chains, manifest, pipeline, startedAt, timings };
}
