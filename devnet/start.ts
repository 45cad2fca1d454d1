import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineConfig } from '../lambdas/core/config/parse-pipeline-config.js';
import { rollupConfigHashOf } from '../lambdas/programs/rollup-config-hash.js';
import type { DevChains } from './chains/start-dev-chains.js';
import { startDevnetChains } from './runtime/devnet-chains.js';
import { type DevnetManifest, readDevnetManifest, writeDevnetManifest } from './runtime/devnet-manifest.js';
import { type LocalPipeline, startLocalPipeline } from './runtime/local-pipeline.js';
import { quietConsoleNoise } from './runtime/quiet-console-noise.js';
import { parseStartOptions, START_HELP, type StartOptions } from './runtime/start-options.js';

/**
 * `npm start`: the whole pipeline on one machine (see `--help`).
 * Run: `node --import tsx devnet/start.ts [options]`
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
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
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

  const configPath = resolve(options.configPath);
  const stateDirectory = resolve(options.stateDirectory);
  const manifestPath = join(stateDirectory, 'manifest.json');
  const config = loadPipelineConfig(configPath);

  let chains: DevChains | undefined;
  let pipeline: LocalPipeline | undefined;
  let stopping = false;
  const stopAll = async (): Promise<void> => {
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
    if (options.fresh || existsSync(manifestPath)) {
      if (!options.fresh)
        log(`new chains: starting from a fresh ${stateDirectory} (the old state belonged to the old chains)`);
      rmSync(stateDirectory, { recursive: true, force: true });
    }
    const rollupConfigHash = await rollupConfigHashOf(
      resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
    );
    log('starting L1 and L2 anvil, seeding the message passer, deploying the oracle and mock verifier…');
    const started = await startDevnetChains({
      config,
      rollupConfigHash,
      l1Port: options.l1Port ?? portOf(config.chains.l1.rpcUrls?.[0], 8545),
      l2Port: options.l2Port ?? portOf(config.chains.l2.rpcUrls?.[0], 9545),
      l1BlockTimeSeconds: options.l1BlockTime ?? config.local.l1BlockTimeSeconds,
      l2BlockTimeSeconds: options.blockTime ?? config.local.l2BlockTimeSeconds,
    });
    chains = started.chains;
    manifest = started.manifest;
    writeDevnetManifest(manifestPath, manifest);
    log(
      `L1 ${manifest.l1.rpcUrl} (chain ${manifest.l1.chainId}), L2 ${manifest.l2.rpcUrl} (chain ${manifest.l2.chainId})`,
    );
    log(
      `oracle ${manifest.contracts.l2OutputOracle}, verifier ${manifest.contracts.verifier}, proposer ${manifest.proposer}`,
    );
    log(`starting output at L2 block ${manifest.startingBlock}; manifest: ${manifestPath}`);
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
    faults: {
      deliverEveryMessageTwice: options.faultDuplicateDelivery,
      failJobsOnce: options.faultFailJobOnce,
    },
  });
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
if (!options.verbose) quietConsoleNoise();
main(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
