import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, http } from 'viem';
import { rollupConfigHashOf } from '../lambdas/core/config/rollup-config-hash.js';
import type { DevChains } from './chains/start-dev-chains.js';
import { type DashboardProcess, startDashboardProcess } from './runtime/dashboard-process.js';
import { devnetChainStatePaths, hasPersistedChains } from './runtime/devnet-chain-state.js';
import { resumeDevnetChains, startDevnetChains } from './runtime/devnet-chains.js';
import { loadDevnetConfig } from './runtime/devnet-config.js';
import { type DevnetManifest, readDevnetManifest, writeDevnetManifest } from './runtime/devnet-manifest.js';
import { applyLocalAwsEnvironment } from './runtime/local-aws-environment.js';
import { type LocalPipeline, startLocalPipeline } from './runtime/local-pipeline.js';
import { preloadPipelineHandlers } from './runtime/pipeline-handlers.js';
import { type ReorgInjector, type ReorgTarget, startReorgInjector } from './runtime/reorg-injector.js';
import { parseStartOptions, START_HELP, type StartOptions } from './runtime/start-options.js';

/**
 * `npm start`: the whole pipeline on one machine (see `--help`).
 * Run: `node --import tsx devnet/start.ts [options]`
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function describeError(error: unknown): string {
  const details = (error as { details?: unknown }).details;
  return `${(error as Error).message}${typeof details === 'string' ? ` (${details})` : ''}`;
}

async function blockNumberOf(rpcUrl: string): Promise<bigint> {
  return createPublicClient({ transport: http(rpcUrl) }).getBlockNumber({ cacheTime: 0 });
}

/** Refuses to resume chains that still run (e.g. a `--chains-only` process): their ports and files are taken. */
async function assertSavedChainsNotRunning(saved: DevnetManifest): Promise<void> {
  for (const rpcUrl of [saved.l1.rpcUrl, saved.l2.rpcUrl]) {
    const running = await createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 1_000 }) })
      .getChainId()
      .then(
        () => true,
        () => false,
      );
    if (running) {
      throw new Error(
        `the chains of this state folder still run (${rpcUrl} answers, e.g. a --chains-only process): ` +
          'use --attach-chains, or stop them first',
      );
    }
  }
}

function portOf(url: string | undefined, fallback: number): number {
  if (url === undefined) return fallback;
  const port = new URL(url).port;
  return port === '' ? fallback : Number(port);
}

async function main(options: StartOptions): Promise<number> {
  let stopAll = async (): Promise<void> => undefined;
  try {
    return await run(options, (stop) => {
      stopAll = stop;
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function run(
  options: StartOptions,
  registerStop: (stop: () => Promise<void>) => void,
): Promise<number> {
  applyLocalAwsEnvironment();

  const configPath = resolve(options.configPath);
  const stateDirectory = resolve(options.stateDirectory);
  const manifestPath = join(stateDirectory, 'manifest.json');
  const config = loadDevnetConfig(configPath);
  // Loaded while the chains start: the handlers' import is seconds of CPU on a busy machine.
  const handlers = options.chainsOnly
    ? undefined
    : preloadPipelineHandlers(repoRoot, { configName: config.name, verbose: options.verbose });

  let chains: DevChains | undefined;
  let pipeline: LocalPipeline | undefined;
  let dashboard: DashboardProcess | undefined;
  let reorgs: ReorgInjector | undefined;
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    await reorgs?.stop();
    await dashboard?.stop();
    await pipeline?.stop();
    await chains?.stop();
  };
  registerStop(stopAll);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: stopping the pipeline${chains === undefined ? '' : ' and the chains'}…`);
    void stopAll().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let manifest: DevnetManifest;
  if (options.attachChains) {
    const attached = readDevnetManifest(manifestPath);
    if (attached === undefined) {
      throw new Error(`--attach-chains: no ${manifestPath}; start the chains with --chains-only first`);
    }
    manifest = attached;
    log(`attached to L1 ${manifest.l1.rpcUrl} and L2 ${manifest.l2.rpcUrl} (${manifestPath})`);
  } else {
    const chainPaths = devnetChainStatePaths(stateDirectory);
    const saved = options.fresh ? undefined : readDevnetManifest(manifestPath);
    const l1BlockTimeSeconds = options.l1BlockTime ?? config.local.l1BlockTimeSeconds;
    const l2BlockTimeSeconds = options.blockTime ?? config.local.l2BlockTimeSeconds;
    let started: Awaited<ReturnType<typeof startDevnetChains>>;
    if (saved !== undefined && hasPersistedChains(chainPaths)) {
      await assertSavedChainsNotRunning(saved);
      log(`resuming the chains and the pipeline saved in ${stateDirectory} (--fresh starts over)…`);
      try {
        started = await resumeDevnetChains({
          config,
          manifest: saved,
          stateDirectory,
          l1Port: options.l1Port ?? portOf(saved.l1.rpcUrl, 8545),
          l2Port: options.l2Port ?? portOf(saved.l2.rpcUrl, 9545),
          l1BlockTimeSeconds,
          l2BlockTimeSeconds,
        });
      } catch (error) {
        throw new Error(
          `cannot resume the chains saved in ${stateDirectory}: ${describeError(error)}\n` +
            'Start over with `npm start -- --fresh` (wipes the state folder).',
          { cause: error },
        );
      }
      chains = started.chains;
      const [l1Head, l2Head] = await Promise.all([
        blockNumberOf(started.manifest.l1.rpcUrl),
        blockNumberOf(started.manifest.l2.rpcUrl),
      ]);
      log(`restored L1 at block ${l1Head} and L2 at block ${l2Head} from ${chainPaths.directory}`);
    } else {
      if (options.fresh || existsSync(manifestPath)) {
        if (!options.fresh)
          log(`new chains: starting from a fresh ${stateDirectory} (it holds no saved chains to resume)`);
        rmSync(stateDirectory, { recursive: true, force: true });
      }
      const rollupConfigHash = await rollupConfigHashOf(
        resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
      );
      log('starting L1 and L2 anvil, seeding the message passer, deploying the oracle and mock verifier…');
      started = await startDevnetChains({
        config,
        rollupConfigHash,
        l1Port: options.l1Port ?? portOf(config.chains.l1.rpcUrls?.[0], 8545),
        l2Port: options.l2Port ?? portOf(config.chains.l2.rpcUrls?.[0], 9545),
        l1BlockTimeSeconds,
        l2BlockTimeSeconds,
        stateDirectory,
      });
      chains = started.chains;
    }
    manifest = started.manifest;
    writeDevnetManifest(manifestPath, manifest);
    log(
      `L1 ${manifest.l1.rpcUrl} (chain ${manifest.l1.chainId}), L2 ${manifest.l2.rpcUrl} (chain ${manifest.l2.chainId})`,
    );
    log(
      `oracle ${manifest.contracts.l2OutputOracle}, verifier ${manifest.contracts.verifier}, proposer ${manifest.proposer}`,
    );
    log(
      `starting output at L2 block ${manifest.startingBlock}; manifest: ${manifestPath}; chain state: ${chainPaths.directory}`,
    );
  }
  if (stopping) return 0;

  if (options.chainsOnly) {
    log(
      'chains are up (--chains-only): run `npm start -- --attach-chains` elsewhere; Ctrl-C stops the chains',
    );
    await new Promise(() => undefined);
  }

  const startedAt = Date.now();
  pipeline = await startLocalPipeline({
    configPath,
    stateDirectory,
    repoRoot,
    manifest,
    log,
    progressEverySeconds: options.progressEverySeconds,
    verbose: options.verbose,
    ...(handlers === undefined ? {} : { handlers }),
    faults: {
      deliverEveryMessageTwice: options.faultDuplicateDelivery,
      failJobs: options.faultFailJobs,
    },
  });
  const reorgTargets = reorgTargetsOf(options, manifest);
  if (reorgTargets.length > 0) {
    reorgs = startReorgInjector({ targets: reorgTargets, stateDirectory, log });
    log(
      `fault: reorgs injected ${reorgTargets.map((t) => `on ${t.chain.toUpperCase()} every ${t.everySeconds} s`).join(', ')}, depth ${options.faultReorgDepth} (${join(stateDirectory, 'reorgs.json')})`,
    );
  }
  // The stand-ins' endpoints, for the operator CLI (`npm run ops`) while this run is up.
  writeDevnetManifest(manifestPath, { ...manifest, aws: pipeline.aws.endpoints });
  if (options.dashboardPort !== undefined) {
    dashboard = startDashboardProcess({ repoRoot, stateDirectory, port: options.dashboardPort });
    dashboard.url.then(
      (url) => log(`dashboard: ${url}`),
      (error: unknown) => log(`dashboard not started (the run goes on): ${(error as Error).message}`),
    );
  }
  log(
    `pipeline running: state in ${stateDirectory}; Ctrl-C stops${options.proposals === undefined ? '' : `; exits after ${options.proposals} proposals`}`,
  );

  if (options.proposals === undefined) {
    await new Promise(() => undefined);
    return 0;
  }
  await pipeline.waitForProposals(options.proposals);
  if (stopping) return 0;
  stopping = true;
  log(formatSummary(await pipeline.progress(), options.proposals, Date.now() - startedAt));
  await stopAll();
  return 0;
}

/** The chains `--fault-l1-reorg-every` / `--fault-l2-reorg-every` ask to reorganise. */
function reorgTargetsOf(options: StartOptions, manifest: DevnetManifest): ReorgTarget[] {
  const depth = options.faultReorgDepth;
  return [
    {
      chain: 'l1' as const,
      rpcUrl: manifest.l1.rpcUrl,
      everySeconds: options.faultL1ReorgEverySeconds,
      count: options.faultL1Reorgs,
    },
    {
      chain: 'l2' as const,
      rpcUrl: manifest.l2.rpcUrl,
      everySeconds: options.faultL2ReorgEverySeconds,
      count: options.faultL2Reorgs,
    },
  ].flatMap(({ everySeconds, count, ...target }) =>
    everySeconds === undefined
      ? []
      : [{ ...target, everySeconds, depth, ...(count === undefined ? {} : { count }) }],
  );
}

function formatSummary(
  progress: Awaited<ReturnType<LocalPipeline['progress']>>,
  target: number,
  elapsedMs: number,
): string {
  return `done: ${progress.proposals} proposals (asked ${target}), proposed up to L2 block ${progress.proposedHead}, in ${(elapsedMs / 1000).toFixed(1)} s`;
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${START_HELP}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${START_HELP}\n`);
  process.exit(0);
}
main(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
