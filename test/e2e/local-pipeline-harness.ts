import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createPublicClient,
  decodeFunctionData,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  type PublicClient,
} from 'viem';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import { startDevnetChains } from '../../devnet/runtime/devnet-chains.js';
import { loadDevnetConfig } from '../../devnet/runtime/devnet-config.js';
import { type DevnetManifest, writeDevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import type { LocalPipelineStats } from '../../devnet/runtime/local-pipeline.js';
import { type OracleOutput, readOracleOutputs } from '../../devnet/runtime/oracle-proposals.js';
import { opSuccinctL2OutputOracleAbi } from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { rollupConfigHashOf } from '../../lambdas/core/config/rollup-config-hash.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The config the e2e runs use: config/devnet.json unless `E2E_PIPELINE_CONFIG` names another file. */
export const devnetConfigPath = resolve(
  process.env.E2E_PIPELINE_CONFIG ?? join(repoRoot, 'config', 'devnet.json'),
);

/** Chains started by the test (outside the pipeline process), their manifest in `stateDirectory`. */
export async function startChainsForTest(
  stateDirectory: string,
  configPath: string = devnetConfigPath,
): Promise<{ chains: DevChains; manifest: DevnetManifest; config: PipelineConfig }> {
  const config = loadDevnetConfig(configPath);
  const started = await startDevnetChains({
    config,
    rollupConfigHash: await rollupConfigHashOf(
      resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
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
export function runPipelineProcess(
  stateDirectory: string,
  args: readonly string[],
  configPath: string = devnetConfigPath,
): PipelineProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'devnet', 'start.ts'),
      '--attach-chains',
      '--config',
      configPath,
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

/** What one `ops` CLI run printed; `json` is its stdout parsed when it asked for `--json` and exited 0. */
export interface OpsCliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON, asserted on field by field.
  readonly json: any;
}

/**
 * Runs the operator CLI as a person would (`node --import tsx ops/cli.ts <args> --state-dir <dir>
 * --json`) against the local run in `stateDirectory`; resolves with its exit code and output.
 */
export async function runOpsCli(stateDirectory: string, args: readonly string[]): Promise<OpsCliRun> {
  const argv = [
    '--import',
    'tsx',
    join(repoRoot, 'ops', 'cli.ts'),
    ...args,
    '--state-dir',
    stateDirectory,
    '--json',
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, argv, { cwd: repoRoot });
    return { code: 0, stdout, stderr, json: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: failed.code ?? 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
      json: undefined,
    };
  }
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

/** The Batch stand-in's record of every run on this state folder. */
export interface BatchJobRecord {
  /** SubmitJob calls per job name (the stand-in starts a job for every call, like AWS Batch). */
  readonly submittedByName: Record<string, number>;
  /** Container runs started per job name. */
  readonly runsByName: Record<string, number>;
  /** Names of the jobs not finished (cut off by a stop or a crash: they run again on the next start). */
  readonly unfinished: string[];
}

export function readBatchJobRecord(stateDirectory: string): BatchJobRecord {
  const snapshot = JSON.parse(readFileSync(join(stateDirectory, 'batch', 'jobs.json'), 'utf8')) as {
    jobs: { jobName: string; status: string }[];
    submittedByName: Record<string, number>;
    runsByName: Record<string, number>;
  };
  return {
    submittedByName: snapshot.submittedByName,
    runsByName: snapshot.runsByName,
    unfinished: snapshot.jobs
      .filter((job) => job.status !== 'SUCCEEDED' && job.status !== 'FAILED')
      .map((job) => job.jobName),
  };
}

/**
 * Job names submitted more than once, or started more than once, over every run on this state folder;
 * empty when the pipeline's ListJobs-by-name idempotency held. A job in `cutOff` (running when a run
 * stopped or crashed) may start twice: Batch starts it again, as when its instance goes away.
 */
export function jobsStartedMoreThanOnce(
  stateDirectory: string,
  cutOff: readonly string[] = [],
): { jobName: string; submitted: number; runs: number }[] {
  const record = readBatchJobRecord(stateDirectory);
  const names = new Set([...Object.keys(record.submittedByName), ...Object.keys(record.runsByName)]);
  return [...names]
    .map((jobName) => ({
      jobName,
      submitted: record.submittedByName[jobName] ?? 0,
      runs: record.runsByName[jobName] ?? 0,
    }))
    .filter(({ jobName, submitted, runs }) => submitted !== 1 || runs > (cutOff.includes(jobName) ? 2 : 1));
}

/** Process groups of the job attempts the Batch stand-in recorded as running. */
export function readRunningJobGroups(stateDirectory: string): number[] {
  const snapshot = JSON.parse(readFileSync(join(stateDirectory, 'batch', 'jobs.json'), 'utf8')) as {
    jobs: { pgid?: number }[];
  };
  return snapshot.jobs.flatMap((job) => (job.pgid === undefined ? [] : [job.pgid]));
}

/** Processes (not zombies) still in one of these process groups (Linux `/proc`; empty elsewhere). */
export function liveProcessesInGroups(pgids: readonly number[]): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pgids.includes(Number(pgrp)) && state !== 'Z') live.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return live;
}

export function publicClient(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
}

const MESSAGE_PASSER = '0x4200000000000000000000000000000000000016';

async function rpc<T>(rpcUrl: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? 'no result'}`);
  return body.result;
}

/**
 * The OP-stack output root (version 0) of an L2 block, computed here from raw JSON-RPC independently of
 * the pipeline: keccak256(abi.encode(bytes32 0, stateRoot, messagePasserStorageRoot, blockHash)).
 */
export async function expectedOutputRoot(l2RpcUrl: string, blockNumber: bigint): Promise<Hex> {
  const tag = `0x${blockNumber.toString(16)}`;
  const block = await rpc<{ hash: Hex; stateRoot: Hex }>(l2RpcUrl, 'eth_getBlockByNumber', [tag, false]);
  const proof = await rpc<{ storageHash: Hex }>(l2RpcUrl, 'eth_getProof', [MESSAGE_PASSER, [], tag]);
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
      [`0x${'00'.repeat(32)}`, block.stateRoot, proof.storageHash, block.hash],
    ),
  );
}

/** What the oracle holds and, for each proposal, the output root the L2 has at that block. */
export async function checkProposalsAgainstL2(
  manifest: DevnetManifest,
): Promise<{ outputs: OracleOutput[]; expectedRoots: string[] }> {
  const l1 = publicClient(manifest.l1.rpcUrl);
  const outputs = await readOracleOutputs(l1, manifest.contracts.l2OutputOracle);
  const expectedRoots: string[] = [];
  for (const output of outputs)
    expectedRoots.push(await expectedOutputRoot(manifest.l2.rpcUrl, output.l2BlockNumber));
  return { outputs, expectedRoots };
}

export interface OracleTransactions {
  /** `proposeL2Output` transactions sent (mined, reverted or not) and reverted. */
  readonly proposals: { sent: number; reverted: number };
  /** `checkpointBlockHash` transactions sent and reverted. */
  readonly checkpoints: { sent: number; reverted: number };
  /** L1 block numbers checkpointed by more than one transaction. */
  readonly duplicateCheckpoints: bigint[];
}

/** Every transaction sent to the oracle on L1, by function. */
export async function countOracleTransactions(manifest: DevnetManifest): Promise<OracleTransactions> {
  const l1 = publicClient(manifest.l1.rpcUrl);
  const head = await l1.getBlockNumber({ cacheTime: 0 });
  const proposals = { sent: 0, reverted: 0 };
  const checkpoints = { sent: 0, reverted: 0 };
  const checkpointed = new Map<bigint, number>();
  for (let number = 0n; number <= head; number += 1n) {
    const block = await l1.getBlock({ blockNumber: number, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== manifest.contracts.l2OutputOracle.toLowerCase()) continue;
      let call: ReturnType<typeof decodeFunctionData<typeof opSuccinctL2OutputOracleAbi>>;
      try {
        call = decodeFunctionData({ abi: opSuccinctL2OutputOracleAbi, data: tx.input });
      } catch {
        continue;
      }
      const counts =
        call.functionName === 'proposeL2Output'
          ? proposals
          : call.functionName === 'checkpointBlockHash'
            ? checkpoints
            : undefined;
      if (counts === undefined) continue;
      if (call.functionName === 'checkpointBlockHash') {
        const l1Block = BigInt(call.args[0] as bigint);
        checkpointed.set(l1Block, (checkpointed.get(l1Block) ?? 0) + 1);
      }
      counts.sent += 1;
      const receipt = await l1.getTransactionReceipt({ hash: tx.hash });
      if (receipt.status !== 'success') counts.reverted += 1;
    }
  }
  const duplicateCheckpoints = [...checkpointed].filter(([, count]) => count > 1).map(([block]) => block);
  return { proposals, checkpoints, duplicateCheckpoints };
}
