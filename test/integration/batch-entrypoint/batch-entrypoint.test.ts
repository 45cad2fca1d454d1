import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.js';
import { jobInputKey, jobOutputKey } from '../../../lambdas/core/messages/blob-keys.js';
import {
  type ArtifactBucketStandIn,
  S3RVER_CREDENTIALS,
  startArtifactBucketStandIn,
} from '../../support/aws-stand-ins/artifact-bucket-stand-in.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entrypoint = join(repoRoot, 'batch-jobs/entrypoint.ts');
const fixtureProver = fileURLToPath(
  new URL('../../support/aws-stand-ins/fixture-prover.mjs', import.meta.url),
);
const configHash = `0x${'12'.repeat(32)}`;

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
}

describe('Batch job entrypoint as a child process against s3rver', () => {
  let standIn: ArtifactBucketStandIn;
  let blobs: S3BlobStore;
  let workDir: string;

  beforeAll(async () => {
    standIn = await startArtifactBucketStandIn('entrypoint-test');
    blobs = new S3BlobStore({ client: standIn.client, bucket: standIn.bucket });
    workDir = mkdtempSync(join(tmpdir(), 'entrypoint-test-'));
  });

  afterAll(async () => {
    await standIn.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Stages a range request for (start, end] attempt 1 and returns the job environment. */
  async function stageJob(
    start: bigint,
    end: bigint,
    extra: Record<string, string>,
  ): Promise<NodeJS.ProcessEnv> {
    const inputKey = jobInputKey('range', `${start}-${end}`, 1);
    await blobs.putJson(inputKey, {
      version: 1,
      program: 'range',
      groupId: `range/${start}-${end}`,
      start: String(start),
      end: String(end),
      rollupConfigHash: configHash,
      proofMode: 'compressed',
    });
    return {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_S3: standIn.endpoint,
      JOB_STAGE: 'range',
      JOB_GROUP_ID: `range/${start}-${end}`,
      JOB_ATTEMPT: '1',
      JOB_PROGRAM: 'range',
      JOB_INPUT_KEY: inputKey,
      JOB_OUTPUT_KEY: jobOutputKey('range', `${start}-${end}`, 1),
      ARTIFACT_BUCKET_NAME: standIn.bucket,
      PROVER_COMMAND: JSON.stringify([process.execPath, fixtureProver]),
      L2_RPC_URLS: 'http://127.0.0.1:9',
      ...extra,
    };
  }

  function start(env: NodeJS.ProcessEnv): { child: ChildProcess; finished: Promise<Finished> } {
    const child = spawn(process.execPath, ['--import', 'tsx', entrypoint], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.resume();
    const finished = new Promise<Finished>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout })),
    );
    return { child, finished };
  }

  const logLines = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('runs the prover and uploads its output, exiting 0', async () => {
    // Prepare
    const env = await stageJob(100n, 105n, { FIXTURE_PROVER_MODE: 'succeed' });

    // Act
    const { code, stdout } = await start(env).finished;

    // Assess
    expect(code).toBe(0);
    expect(await blobs.getJson(jobOutputKey('range', '100-105', 1))).toMatchObject({
      program: 'range',
      start: '100',
      end: '105',
      bootInfo: { rollupConfigHash: configHash, l2BlockNumber: '105' },
    });
    expect(await blobs.exists('jobs/range/100-105/a1/failure.json')).toBe(false);
    expect(logLines(stdout).map((l) => l.message)).toEqual(['prover starting', 'job succeeded']);
    expect(logLines(stdout)[1]).toMatchObject({ stage: 'range', groupId: 'range/100-105', attempt: 1 });
  });

  it('uploads a failure document with the stderr tail when the prover fails, exiting 1', async () => {
    // Prepare: an RPC URL with a key in its path, as proxyd endpoints often have
    const env = await stageJob(105n, 110n, {
      FIXTURE_PROVER_MODE: 'fail',
      L2_RPC_URLS: 'http://127.0.0.1:9/v2/SECRET-KEY',
    });

    // Act
    const { code, stdout } = await start(env).finished;

    // Assess
    expect(code).toBe(1);
    expect(await blobs.exists(jobOutputKey('range', '105-110', 1))).toBe(false);
    const failure = (await blobs.getJson('jobs/range/105-110/a1/failure.json')) as Record<string, unknown>;
    expect(failure).toMatchObject({
      version: 1,
      groupId: 'range/105-110',
      attempt: 1,
      kind: 'exit',
      interrupted: false,
    });
    expect(failure.stderrTail).toContain('derivation failed at block 7');
    expect(failure.stderrTail).toContain('l2=http://127.0.0.1:9/<redacted-url>');
    expect(JSON.stringify(failure)).not.toContain('SECRET-KEY');
    expect(stdout).not.toContain('SECRET-KEY');
    expect(logLines(stdout).at(-1)).toMatchObject({ level: 'ERROR', message: 'job failed' });
  });

  it('reports a prover failure as such, and an RPC outage the prover reports as infrastructure (exit 75)', async () => {
    // Prepare
    const proverFailure = await stageJob(110n, 115n, { FIXTURE_PROVER_MODE: 'fail' });
    const rpcOutage = await stageJob(115n, 120n, { FIXTURE_PROVER_MODE: 'rpc-outage' });
    // Act
    const failed = await start(proverFailure).finished;
    const outage = await start(rpcOutage).finished;
    // Assess
    expect([failed.code, outage.code]).toEqual([1, 75]);
    expect(await blobs.getJson('jobs/range/110-115/a1/failure.json')).toMatchObject({
      failureClass: 'prover',
    });
    expect(await blobs.getJson('jobs/range/115-120/a1/failure.json')).toMatchObject({
      kind: 'exit',
      failureClass: 'infrastructure',
    });
  });

  it('stops the prover on SIGTERM and exits 143 with an interrupted failure document', async () => {
    // Prepare
    const pidFile = join(workDir, 'prover.pid');
    const env = await stageJob(110n, 115n, { FIXTURE_PROVER_MODE: 'hang', FIXTURE_PROVER_PID_FILE: pidFile });
    const { child, finished } = start(env);
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await sleep(20);
    const proverPid = Number(readFileSync(pidFile, 'utf8'));

    // Act
    child.kill('SIGTERM');
    const { code } = await finished;

    // Assess
    expect(code).toBe(143);
    const failure = (await blobs.getJson('jobs/range/110-115/a1/failure.json')) as Record<string, unknown>;
    expect(failure).toMatchObject({ kind: 'interrupted', interrupted: true });
    expect(failure.stderrTail).toContain('fixture prover: hang');
    expect(() => process.kill(proverPid, 0)).toThrow();
  });

  it('runs the repo prover for JOB_PROGRAM when PROVER_COMMAND is absent; an unreachable RPC is an infrastructure failure', async () => {
    // Prepare: unreachable RPC endpoints, so the built-in range prover fails fast
    const env = await stageJob(120n, 125n, { L1_RPC_URLS: 'http://127.0.0.1:9', RPC_TIMEOUT_MS: '1000' });
    delete env.PROVER_COMMAND;

    // Act
    const { code, stdout } = await start(env).finished;

    // Assess: the prover saw a transport error (connection refused), not a verdict on the range
    expect(code).toBe(75);
    const starting = logLines(stdout).find((l) => l.message === 'prover starting');
    expect(String((starting?.argv as string[] | undefined)?.at(-1))).toMatch(
      /batch-jobs\/provers\/range\.ts$/,
    );
    const failure = (await blobs.getJson('jobs/range/120-125/a1/failure.json')) as Record<string, unknown>;
    expect(failure).toMatchObject({ kind: 'exit', interrupted: false, failureClass: 'infrastructure' });
    expect(String(failure.stderrTail)).not.toBe('');
  });

  it('fails the job as a configuration error (exit 78) with a prover-start error naming a command not on PATH', async () => {
    // Prepare
    const env = await stageJob(125n, 130n, { PROVER_COMMAND: JSON.stringify(['binary-rnage-prover']) });

    // Act
    const { code } = await start(env).finished;

    // Assess
    expect(code).toBe(78);
    const failure = (await blobs.getJson('jobs/range/125-130/a1/failure.json')) as Record<string, unknown>;
    expect(failure).toMatchObject({ kind: 'spawn', failureClass: 'configuration', interrupted: false });
    expect(failure.message).toBe(
      'executor "binary-rnage-prover" could not be started: spawn binary-rnage-prover ENOENT (no executable "binary-rnage-prover" on PATH)',
    );
  });

  it('exits 2 naming the variable when the job environment is incomplete', async () => {
    // Prepare
    const env = await stageJob(115n, 120n, {});
    delete env.JOB_OUTPUT_KEY;

    // Act
    const { code, stdout } = await start(env).finished;

    // Assess
    expect(code).toBe(2);
    expect(stdout).toContain('JOB_OUTPUT_KEY');
  });
});
