import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchClient,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchJobStateChangeEvent } from '../../../devnet/stand-ins/batch-job-state-change.js';
import { startBatchStandIn } from '../../../devnet/stand-ins/batch-server.js';
import type { RunningStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import type { JobFailureFault } from '../../../devnet/stand-ins/job-fault-injector.js';
import { LocalJobRunner } from '../../../devnet/stand-ins/local-job-runner.js';

/** A job container that exits with $EXIT_WITH after $SLEEP_MS, echoing its Batch environment. */
const JOB_SCRIPT =
  'console.log(process.env.AWS_BATCH_JOB_ID, process.env.JOB_STAGE);' +
  'setTimeout(() => process.exit(Number(process.env.EXIT_WITH ?? 0)), Number(process.env.SLEEP_MS ?? 0));';

describe('Batch stand-in', () => {
  let standIn: RunningStandIn | undefined;
  let runner: LocalJobRunner | undefined;
  let client: BatchClient | undefined;
  const events: BatchJobStateChangeEvent[] = [];

  afterEach(async () => {
    client?.destroy();
    await runner?.stop();
    await standIn?.close();
    events.length = 0;
  });

  async function start(
    options: {
      maxParallelJobs?: number;
      failJobs?: JobFailureFault[];
      onStateChange?: (event: BatchJobStateChangeEvent) => Promise<void>;
      script?: string;
      jobDefinitions?: ConstructorParameters<typeof LocalJobRunner>[0]['jobDefinitions'];
    } = {},
  ): Promise<BatchClient> {
    runner = new LocalJobRunner({
      command: [process.execPath, '-e', options.script ?? JOB_SCRIPT],
      cwd: process.cwd(),
      baseEnvironment: { FROM_BASE: 'base', FROM_DEFINITION: 'base' },
      maxParallelJobs: options.maxParallelJobs ?? 2,
      jobDefinitions: options.jobDefinitions ?? { range: { timeoutSeconds: 30 } },
      stateDirectory: mkdtempSync(join(tmpdir(), 'batch-')),
      faults: { failJobs: options.failJobs ?? [] },
      deliveryBackoff: { firstMs: 1, maxMs: 5 },
      onStateChange:
        options.onStateChange ??
        (async (event) => {
          events.push(event);
        }),
    });
    runner.start();
    standIn = await startBatchStandIn({ runner });
    client = new BatchClient({ endpoint: standIn.endpoint });
    return client;
  }

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!condition() && Date.now() < deadline) await sleep(25);
  }

  it('runs a submitted job and emits a SUCCEEDED "Batch Job State Change" event', async () => {
    // Prepare
    const batch = await start();

    // Act
    const submitted = await batch.send(
      new SubmitJobCommand({
        jobName: 'range-0-5-a1',
        jobQueue: 'devnet-range',
        jobDefinition: 'range',
        parameters: { stage: 'range', groupId: 'range/0-5', attempt: '1' },
        containerOverrides: { environment: [{ name: 'JOB_STAGE', value: 'range' }] },
      }),
    );
    await until(() => events.length === 1);
    const described = await batch.send(new DescribeJobsCommand({ jobs: [submitted.jobId as string] }));
    const listed = await batch.send(
      new ListJobsCommand({
        jobQueue: 'devnet-range',
        filters: [{ name: 'JOB_NAME', values: ['range-0-5-a1'] }],
      }),
    );

    // Assess
    const event = events[0];
    expect(event?.['detail-type']).toBe('Batch Job State Change');
    expect(event?.source).toBe('aws.batch');
    expect(event?.detail).toMatchObject({
      jobName: 'range-0-5-a1',
      jobId: submitted.jobId,
      status: 'SUCCEEDED',
      parameters: { stage: 'range', groupId: 'range/0-5', attempt: '1' },
      container: { exitCode: 0 },
      jobQueue: 'arn:aws:batch:us-east-1:000000000000:job-queue/devnet-range',
    });
    expect(described.jobs?.[0]?.status).toBe('SUCCEEDED');
    expect(listed.jobSummaryList?.map((job) => job.jobId)).toEqual([submitted.jobId]);
  });

  it('starts a second job for a second SubmitJob with the same name, like AWS Batch', async () => {
    // Prepare
    const batch = await start();
    const input = {
      jobName: 'range-5-10-a1',
      jobQueue: 'q',
      jobDefinition: 'range',
      containerOverrides: { environment: [{ name: 'SLEEP_MS', value: '300' }] },
    };

    // Act
    const first = await batch.send(new SubmitJobCommand(input));
    const second = await batch.send(new SubmitJobCommand(input));
    await until(() => events.length === 2);
    const listed = await batch.send(
      new ListJobsCommand({ jobQueue: 'q', filters: [{ name: 'JOB_NAME', values: ['range-5-10-a1'] }] }),
    );

    // Assess
    expect(second.jobId).not.toBe(first.jobId);
    expect(listed.jobSummaryList?.map((job) => job.jobId).sort()).toEqual([first.jobId, second.jobId].sort());
    expect(runner?.stats()).toEqual({
      submittedByName: { 'range-5-10-a1': 2 },
      runsByName: { 'range-5-10-a1': 2 },
    });
  });

  it('keeps delivering a state-change event the listener refuses until it accepts it', async () => {
    // Prepare: the listener refuses the first 30 deliveries (more than any fixed retry budget).
    let refusals = 0;
    const batch = await start({
      onStateChange: async (event) => {
        if (refusals < 30) {
          refusals += 1;
          throw new Error('job-state handler unavailable');
        }
        events.push(event);
      },
    });

    // Act
    await batch.send(
      new SubmitJobCommand({ jobName: 'range-0-5-a1', jobQueue: 'q', jobDefinition: 'range' }),
    );
    await until(() => events.length === 1);

    // Assess
    expect(refusals).toBe(30);
    expect(events.map((event) => event.detail.status)).toEqual(['SUCCEEDED']);
  });

  it('fails an injected job once, honours evaluateOnExit EXIT, and retries when attempts allow', async () => {
    // Prepare
    const batch = await start({
      failJobs: [
        { pattern: 'range-0-5-a1', times: 1 },
        { pattern: 'range-5-*', times: 1 },
      ],
    });

    // Act
    await batch.send(
      new SubmitJobCommand({
        jobName: 'range-0-5-a1',
        jobQueue: 'q',
        jobDefinition: 'range',
        retryStrategy: { attempts: 2, evaluateOnExit: [{ onReason: '*', action: 'EXIT' }] },
      }),
    );
    await batch.send(
      new SubmitJobCommand({
        jobName: 'range-5-10-a1',
        jobQueue: 'q',
        jobDefinition: 'range',
        retryStrategy: { attempts: 2 },
      }),
    );
    await until(() => events.length === 2);

    // Assess
    const byName = Object.fromEntries(events.map((event) => [event.detail.jobName, event.detail]));
    expect(byName['range-0-5-a1']).toMatchObject({ status: 'FAILED' });
    expect(byName['range-0-5-a1']?.attempts).toHaveLength(1);
    expect(byName['range-5-10-a1']).toMatchObject({ status: 'SUCCEEDED' });
    expect(byName['range-5-10-a1']?.attempts).toHaveLength(2);
  });

  it('fails the first n runs of the jobs matching a pattern, across Batch retries and later jobs, then runs them', async () => {
    // Prepare: 3 injected failures for "aggregate-*"; each job may run twice.
    const batch = await start({ failJobs: [{ pattern: 'aggregate-*', times: 3 }] });
    const submit = (jobName: string) =>
      batch.send(
        new SubmitJobCommand({
          jobName,
          jobQueue: 'q',
          jobDefinition: 'range',
          retryStrategy: { attempts: 2 },
        }),
      );

    // Act: the first job fails both its runs; the second fails once and succeeds on its Batch retry.
    await submit('aggregate-0-10-a1');
    await until(() => events.length === 1);
    await submit('aggregate-0-10-a2');
    await until(() => events.length === 2);
    await submit('aggregate-0-10-a3');
    await until(() => events.length === 3);

    // Assess
    expect(
      events.map((event) => [
        event.detail.jobName,
        event.detail.status,
        (event.detail.attempts as unknown[]).length,
      ]),
    ).toEqual([
      ['aggregate-0-10-a1', 'FAILED', 2],
      ['aggregate-0-10-a2', 'SUCCEEDED', 2],
      ['aggregate-0-10-a3', 'SUCCEEDED', 1],
    ]);
  });

  it('kills an attempt that exceeds its timeout and reports it FAILED', async () => {
    // Prepare
    const batch = await start();

    // Act
    await batch.send(
      new SubmitJobCommand({
        jobName: 'slow',
        jobQueue: 'q',
        jobDefinition: 'range',
        timeout: { attemptDurationSeconds: 1 },
        containerOverrides: { environment: [{ name: 'SLEEP_MS', value: '10000' }] },
      }),
    );
    await until(() => events.length === 1);

    // Assess
    expect(events[0]?.detail).toMatchObject({
      status: 'FAILED',
      statusReason: 'Job attempt duration exceeded timeout',
    });
  });

  it('runs at most maxParallelJobs at once', async () => {
    // Prepare
    const batch = await start({ maxParallelJobs: 1 });

    // Act
    for (const name of ['a', 'b']) {
      await batch.send(
        new SubmitJobCommand({
          jobName: name,
          jobQueue: 'q',
          jobDefinition: 'range',
          containerOverrides: { environment: [{ name: 'SLEEP_MS', value: '200' }] },
        }),
      );
    }
    await until(() => events.length === 2);

    // Assess
    const [a, b] = events.map((event) => event.detail as { startedAt: number; stoppedAt: number });
    expect(b?.startedAt).toBeGreaterThanOrEqual(a?.stoppedAt ?? Number.POSITIVE_INFINITY);
  });

  it("gives a job its definition's environment over the base one, and its overrides over both", async () => {
    // Prepare: the job exits 0 only when each variable came from where Batch would take it.
    const batch = await start({
      script:
        'const { FROM_BASE, FROM_DEFINITION, OVERRIDDEN } = process.env;' +
        "process.exit(FROM_BASE === 'base' && FROM_DEFINITION === 'definition' && OVERRIDDEN === 'job' ? 0 : 3);",
      jobDefinitions: {
        range: {
          timeoutSeconds: 30,
          environment: { FROM_DEFINITION: 'definition', OVERRIDDEN: 'definition' },
        },
      },
    });

    // Act
    await batch.send(
      new SubmitJobCommand({
        jobName: 'range-0-5-a1',
        jobQueue: 'devnet-range',
        jobDefinition: 'range',
        containerOverrides: { environment: [{ name: 'OVERRIDDEN', value: 'job' }] },
      }),
    );
    await until(() => events.length === 1);

    // Assess
    expect(events.map((event) => event.detail.status)).toEqual(['SUCCEEDED']);
  });

  it('TerminateJob cancels a queued job and stops a running one, each FAILED with the reason, and leaves a finished job alone', async () => {
    // Prepare: one slot, so "second" waits RUNNABLE behind "first", which sleeps 30 s.
    const batch = await start({ maxParallelJobs: 1 });
    const submit = async (jobName: string, sleepMs: string) =>
      (
        await batch.send(
          new SubmitJobCommand({
            jobName,
            jobQueue: 'q',
            jobDefinition: 'range',
            containerOverrides: { environment: [{ name: 'SLEEP_MS', value: sleepMs }] },
          }),
        )
      ).jobId as string;
    const first = await submit('first', '30000');
    const second = await submit('second', '30000');
    await until(() => runner?.describe([first])[0]?.status === 'RUNNING');

    // Act
    await batch.send(new TerminateJobCommand({ jobId: second, reason: 'hedge won elsewhere' }));
    await batch.send(new TerminateJobCommand({ jobId: first, reason: 'the other prover was first' }));
    await until(() => events.length === 2);
    await batch.send(new TerminateJobCommand({ jobId: first, reason: 'again' }));
    const unknown = batch.send(new TerminateJobCommand({ jobId: 'no-such-job', reason: 'x' }));

    // Assess
    const byName = new Map(events.map((event) => [event.detail.jobName, event.detail]));
    expect(byName.get('second')).toMatchObject({ status: 'FAILED', statusReason: 'hedge won elsewhere' });
    expect(byName.get('first')).toMatchObject({
      status: 'FAILED',
      statusReason: 'the other prover was first',
    });
    expect(runner?.stats().runsByName).toEqual({ first: 1 });
    expect(runner?.describe([first])[0]?.statusReason).toBe('the other prover was first');
    await expect(unknown).rejects.toThrow('no job with id no-such-job');
    await sleep(100);
    expect(events).toHaveLength(2);
  });
});
