import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchClient, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { type DevnetManifest, writeDevnetManifest } from '../../../devnet/runtime/devnet-manifest.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { pipelineTopics } from '../../../lambdas/core/config/pipeline-resource-names.js';
import type { PipelineConfigInput } from '../../../lambdas/core/config/schema.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../lambdas/core/orchestrator/group/finish-job.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import { commonOf } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { runOpsCli } from '../../../ops/run-ops-cli.js';
import { type HandlerStandIns, startHandlerStandIns } from '../../support/aws-stand-ins/handler-stand-ins.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const CONFIG_DIRECTORY = resolve(import.meta.dirname, '../../../config');
const hash = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;

/** A block envelope of the devnet's block topic, as the watcher publishes it. */
export function blockEnvelope(n: bigint) {
  return makeEnvelope(
    'blocks',
    String(n),
    { number: String(n), hash: hash(n), parentHash: hash(n - 1n) },
    systemClock.now(),
  );
}

/** The chains an ops test points the manifest at (placeholders when the test reads no chain). */
export interface FixtureChains {
  readonly manifest: Omit<DevnetManifest, 'aws'>;
}

const NO_CHAINS: FixtureChains = {
  manifest: {
    l1: { rpcUrl: 'http://127.0.0.1:9', chainId: 900 },
    l2: { rpcUrl: 'http://127.0.0.1:9', chainId: 901 },
    contracts: {
      l2OutputOracle: `0x${'11'.repeat(20)}`,
      verifier: `0x${'22'.repeat(20)}`,
      messagePasser: '0x4200000000000000000000000000000000000016',
    },
    proposer: '0x70997970C51812dc3A010C7d01b50e20d17dc79C',
    startingBlock: '0',
  },
};

/** A local run as the CLI finds it: stand-ins up, `manifest.json` with their endpoints, `pipeline.json`. */
export interface OpsFixture {
  readonly stateDirectory: string;
  readonly standIns: HandlerStandIns;
  readonly deps: OrchestratorDeps;
  readonly origin: bigint;
  readonly batch: ReturnType<typeof mockClient>;
  /** Runs the CLI in this process against the state folder; returns the exit code and the output. */
  ops(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `ops(... --json)`, parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON, which each test asserts by shape.
  opsJson(...argv: string[]): Promise<{ code: number; value: any; stderr: string }>;
  close(): Promise<void>;
}

/**
 * Starts the handler stand-ins for a pipeline called `name` (range groups of 3 blocks, 2 attempts,
 * bisection) and writes the state folder of a local run pointing at them (Batch mocked: SubmitJob
 * answers `job-<n>`, ListJobs nothing).
 */
export async function startOpsFixture(name: string, chains: FixtureChains = NO_CHAINS): Promise<OpsFixture> {
  const { manifest } = chains;
  const input = testPipelineConfig(name, manifest.l2.rpcUrl) as PipelineConfigInput & {
    chains: { l1: Record<string, unknown>; l2: Record<string, unknown> & { rollupConfigPath: string } };
  };
  input.chains.l1 = {
    ...input.chains.l1,
    rpcUrls: [manifest.l1.rpcUrl],
    oracleAddress: manifest.contracts.l2OutputOracle,
  };
  input.chains.l2 = {
    ...input.chains.l2,
    startBlock: manifest.startingBlock,
    rollupConfigPath: resolve(CONFIG_DIRECTORY, input.chains.l2.rollupConfigPath),
  };
  const config = parsePipelineConfig(input);
  const standIns = await startHandlerStandIns(input, pipelineTopics(config));
  const stateDirectory = mkdtempSync(join(tmpdir(), 'ops-state-'));
  writeFileSync(join(stateDirectory, 'pipeline.json'), JSON.stringify(input, null, 2));
  writeDevnetManifest(join(stateDirectory, 'manifest.json'), {
    ...manifest,
    aws: {
      dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
      s3: process.env.AWS_ENDPOINT_URL_S3 ?? '',
      sqs: process.env.AWS_ENDPOINT_URL_SQS ?? '',
      batch: 'http://127.0.0.1:9',
    },
  });
  const batch = mockClient(BatchClient);
  batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
  let jobs = 0;
  batch.on(SubmitJobCommand).callsFake(() => ({ jobId: `job-${++jobs}`, jobName: 'x', jobArn: 'arn' }));
  const deps = buildRuntime(standIns.env, {
    logger: new MemoryLogger(),
    metrics: new MemoryMetrics(),
  }).orchestrator();
  const ops = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runOpsCli([...argv, '--state-dir', stateDirectory, '--by', 'test-operator'], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: process.env,
    });
    return { code, stdout, stderr };
  };
  return {
    stateDirectory,
    standIns,
    deps,
    origin: BigInt(manifest.startingBlock),
    batch,
    ops,
    opsJson: async (...argv) => {
      const { code, stdout, stderr } = await ops(...argv, '--json');
      return { code, value: JSON.parse(stdout), stderr };
    },
    close: async () => {
      batch.restore();
      await standIns.close();
      rmSync(stateDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * State made by the real orchestrator: blocks origin+1 … origin+9 dispatched (three range groups
 * running); the first group fails twice and is bisected (its children running); the second fails
 * once (retried, running attempt 2) and then fails again, left `failed` as after a crash right after
 * that write (before the failure policy ran); the third keeps running.
 */
export async function prepareGroups(
  fixture: OpsFixture,
): Promise<{ split: string; failed: string; running: string }> {
  const { deps, origin } = fixture;
  for (let n = origin + 1n; n <= origin + 9n; n++) await dispatchMessage(deps, blockEnvelope(n));
  const id = (a: bigint, b: bigint) => `range/${origin + a}-${origin + b}`;
  const fail = (groupId: string, attempt: number) =>
    finishJob(deps, {
      stage: 'range',
      groupId,
      attempt,
      jobName: `range-${groupId.slice('range/'.length)}-a${attempt}`,
      status: 'FAILED',
      reason: `prover exited 1 (attempt ${attempt})`,
      stderrTail: 'panicked at guest/range.rs:42: header hash mismatch',
    });
  await fail(id(0n, 3n), 1);
  await fail(id(0n, 3n), 2);
  await fail(id(3n, 6n), 1);
  await leaveFailed(deps, id(3n, 6n));
  return { split: id(0n, 3n), failed: id(3n, 6n), running: id(6n, 9n) };
}

/**
 * Moves the running group `id` to `failed` with a prover error, as the job-state handler's first
 * write does, and stops there as a crash would (before the failure policy retries or bisects).
 */
export async function leaveFailed(deps: OrchestratorDeps, id: string): Promise<void> {
  const groups = new GroupRepository(deps.store);
  const running = await groups.get(id);
  if (running?.status !== 'running') throw new Error(`fixture: ${id} is ${running?.status}, not running`);
  await groups.move(running, {
    ...commonOf(running),
    status: 'failed',
    failures: running.failures + 1,
    job: running.job,
    lastFailure: { error: `prover exited 1 (attempt ${running.attempt})`, stderrTail: 'out of cycles' },
  });
}
