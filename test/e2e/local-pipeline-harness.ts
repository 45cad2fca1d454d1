import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createPublicClient, decodeFunctionData, http, type PublicClient } from 'viem';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import { startDevnetChains } from '../../devnet/runtime/devnet-chains.js';
import { type DevnetManifest, writeDevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import type { LocalPipelineStats } from '../../devnet/runtime/local-pipeline.js';
import { type OracleOutput, readOracleOutputs } from '../../devnet/runtime/oracle-proposals.js';
import { opSuccinctL2OutputOracleAbi } from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../lambdas/chain/compute-output-root.js';
import { loadPipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { rollupConfigHashOf } from '../../lambdas/programs/rollup-config-hash.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The config the e2e runs use: config/devnet.json unless `E2E_PIPELINE_CONFIG` names another file. */
export const devnetConfigPath = resolve(
  process.env.E2E_PIPELINE_CONFIG ?? join(repoRoot, 'config', 'devnet.json'),
);

/** Chains started by the test (outside the pipeline process), their manifest in `stateDirectory`. */
export async function startChainsForTest(
  stateDirectory: string,
): Promise<{ chains: DevChains; manifest: DevnetManifest; config: PipelineConfig }> {
  const config = loadPipelineConfig(devnetConfigPath);
  const started = await startDevnetChains({
    config,
    rollupConfigHash: await rollupConfigHashOf(
      resolve(dirname(devnetConfigPath), config.chains.l2.rollupConfigPath),
    ),
    l1Port: 0,
    l2Port: 0,
    l1BlockTimeSeconds: config.local.l1BlockTimeSeconds,
    l2BlockTimeSeconds: config.local.l2BlockTimeSeconds,
  });
  mkdirSync(stateDirectory, { recursive: true });
  writeDevnetManifest(join(stateDirectory, 'manifest.json'), started.manifest);
  return { ...started, config };
}

export interface PipelineProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  output(): string;
}

/** Runs `devnet/start.ts --attach-chains` as a child process (the process a person runs with `npm start`). */
export function runPipelineProcess(stateDirectory: string, args: readonly string[]): PipelineProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'devnet', 'start.ts'),
      '--attach-chains',
      '--config',
      devnetConfigPath,
      '--state-dir',
      stateDirectory,
      ...args,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  return { child, exited, output: () => output };
}

/** The pipeline's counters as its last run wrote them. */
export function readPipelineStats(stateDirectory: string): LocalPipelineStats {
  return JSON.parse(readFileSync(join(stateDirectory, 'stats.json'), 'utf8')) as LocalPipelineStats;
}

/** Batch jobs of every run on this state folder: name and final status. */
export function readBatchJobs(stateDirectory: string): { jobName: string; status: string }[] {
  const snapshot = JSON.parse(readFileSync(join(stateDirectory, 'batch', 'jobs.json'), 'utf8')) as {
    jobs: { jobName: string; status: string }[];
  };
  return snapshot.jobs.map(({ jobName, status }) => ({ jobName, status }));
}

/** Accepted SubmitJob calls per job name, over every run of the pipeline on this state folder. */
export function readSubmittedJobs(stateDirectory: string): Record<string, number> {
  const snapshot = JSON.parse(readFileSync(join(stateDirectory, 'batch', 'jobs.json'), 'utf8')) as {
    submittedByName: Record<string, number>;
  };
  return snapshot.submittedByName;
}

export function publicClient(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
}

/** What the oracle holds and, for each proposal, the output root the L2 has at that block. */
export async function checkProposalsAgainstL2(
  manifest: DevnetManifest,
): Promise<{ outputs: OracleOutput[]; expectedRoots: string[] }> {
  const l1 = publicClient(manifest.l1.rpcUrl);
  const l2 = publicClient(manifest.l2.rpcUrl);
  const outputs = await readOracleOutputs(l1, manifest.contracts.l2OutputOracle);
  const expectedRoots: string[] = [];
  for (const output of outputs)
    expectedRoots.push((await computeOutputRoot(l2, output.l2BlockNumber)).outputRoot);
  return { outputs, expectedRoots };
}

/** Every `proposeL2Output` transaction sent to the oracle on L1 (mined, reverted or not). */
export async function countProposeTransactions(
  manifest: DevnetManifest,
): Promise<{ sent: number; reverted: number }> {
  const l1 = publicClient(manifest.l1.rpcUrl);
  const head = await l1.getBlockNumber({ cacheTime: 0 });
  let sent = 0;
  let reverted = 0;
  for (let number = 0n; number <= head; number += 1n) {
    const block = await l1.getBlock({ blockNumber: number, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== manifest.contracts.l2OutputOracle.toLowerCase()) continue;
      let functionName: string;
      try {
        functionName = decodeFunctionData({ abi: opSuccinctL2OutputOracleAbi, data: tx.input }).functionName;
      } catch {
        continue;
      }
      if (functionName !== 'proposeL2Output') continue;
      sent += 1;
      const receipt = await l1.getTransactionReceipt({ hash: tx.hash });
      if (receipt.status !== 'success') reverted += 1;
    }
  }
  return { sent, reverted };
}
