import { BatchClient, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../devnet/stand-ins/lambda-context.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { createDispatcherHandler } from '../../../lambdas/handlers/dispatcher.js';
import { createJobStateHandler } from '../../../lambdas/handlers/job-state.js';
import { batchJobStateChangeEvent } from '../../support/aws-stand-ins/batch-job-state-change-event.js';
import {
  type HandlerStandIns,
  startHandlerStandIns,
  TEST_ROLLUP_CONFIG_HASH,
} from '../../support/aws-stand-ins/handler-stand-ins.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const zero = `0x${'00'.repeat(32)}`;

function rangeResult(start: number, end: number) {
  return {
    version: 1,
    program: 'range',
    start: String(start),
    end: String(end),
    bootInfo: {
      l1Head: zero,
      l2PreRoot: hash(1000 + start),
      l2PostRoot: hash(1000 + end),
      l2BlockNumber: String(end),
      rollupConfigHash: TEST_ROLLUP_CONFIG_HASH,
    },
    publicValues: '0x',
    proof: '0x',
    vkey: zero,
    backend: 'mock',
    proofMode: 'compressed',
    cycles: 0,
  };
}

describe('job-state handler with Batch Job State Change events', () => {
  const batch = mockClient(BatchClient);
  const logger = new MemoryLogger();
  let standIns: HandlerStandIns;
  let dispatcher: ReturnType<typeof createDispatcherHandler>;
  let jobState: ReturnType<typeof createJobStateHandler>;
  let submitted: string[] = [];

  const deliverBlocks = async (from: number, to: number) => {
    const records = [];
    for (let n = from; n <= to; n++) {
      const envelope = makeEnvelope(
        'blocks',
        String(n),
        { number: String(n), hash: hash(n), parentHash: hash(n - 1) },
        systemClock.now(),
      );
      records.push({
        messageId: `m-${n}`,
        body: JSON.stringify(envelope),
        attributes: { ApproximateReceiveCount: '1' },
      });
    }
    const response = await dispatcher({ Records: records } as never, lambdaContext('dispatcher'));
    expect(response.batchItemFailures).toEqual([]);
  };
  const rangeProofs = () =>
    standIns.queues
      .receive(standIns.queueName('range-proofs'), 10)
      .map((m) => JSON.parse(m.body) as { id: string });

  beforeAll(async () => {
    standIns = await startHandlerStandIns(testPipelineConfig('job-state-test'), [
      'blocks',
      'range-proofs',
      'aggregate-proofs',
    ]);
    const runtime = buildRuntime(standIns.env, { logger, metrics: new MemoryMetrics() });
    dispatcher = createDispatcherHandler(() => runtime);
    jobState = createJobStateHandler(() => runtime);
  });

  afterAll(async () => {
    batch.restore();
    await standIns.close();
  });

  beforeEach(() => {
    batch.reset();
    submitted = [];
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    batch.on(SubmitJobCommand).callsFake((input: { jobName: string }) => {
      submitted.push(input.jobName);
      return { jobId: `id-${input.jobName}`, jobName: input.jobName, jobArn: 'arn' };
    });
  });

  it('publishes the validated result on success, and ignores the duplicate event', async () => {
    // Prepare
    await deliverBlocks(1, 3);
    await standIns.blobs.putJson('jobs/range/0-3/a1/output.json', rangeResult(0, 3));
    const event = batchJobStateChangeEvent({ jobName: 'range-0-3-a1', status: 'SUCCEEDED', exitCode: 0 });

    // Act
    const first = await jobState(event, lambdaContext('job-state'));
    const again = await jobState(event, lambdaContext('job-state'));

    // Assess
    expect(first).toEqual({ outcome: 'succeeded', jobName: 'range-0-3-a1' });
    expect(again).toEqual({ outcome: 'ignored', jobName: 'range-0-3-a1' });
    expect((await standIns.store.get('range/0-3'))?.status).toBe('succeeded');
    expect(rangeProofs().map((e) => e.id)).toEqual(['range-proofs/0-3']);
  });

  it('retries a failed job with the stderr tail kept, then bisects the range', async () => {
    // Prepare
    await deliverBlocks(4, 6);
    submitted = [];
    await standIns.blobs.putJson('jobs/range/3-6/a1/failure.json', {
      stderrTail: 'derivation failed at block 5',
    });
    const failedA1 = batchJobStateChangeEvent({ jobName: 'range-3-6-a1', status: 'FAILED', exitCode: 1 });
    const failedA2 = batchJobStateChangeEvent({ jobName: 'range-3-6-a2', status: 'FAILED', exitCode: 1 });

    // Act
    const retried = await jobState(failedA1, lambdaContext('job-state'));
    const afterRetry = await standIns.store.get('range/3-6');
    const split = await jobState(failedA2, lambdaContext('job-state'));

    // Assess
    expect(retried.outcome).toBe('retried');
    expect(afterRetry?.data).toMatchObject({ attempt: 2, stderrTail: 'derivation failed at block 5' });
    expect(split.outcome).toBe('split');
    expect((await standIns.store.get('range/3-6'))?.status).toBe('split');
    expect(submitted).toEqual(['range-3-6-a2', 'range-3-5-a1', 'range-5-6-a1']);
  });

  it('refuses an invalid job output with the schema path in the error and retries', async () => {
    // Prepare
    await deliverBlocks(7, 9);
    submitted = [];
    const invalid = rangeResult(6, 9) as Record<string, unknown>;
    invalid.bootInfo = { ...(invalid.bootInfo as object), l2PostRoot: '0x1234' };
    await standIns.blobs.putJson('jobs/range/6-9/a1/output.json', invalid);

    // Act
    const result = await jobState(
      batchJobStateChangeEvent({ jobName: 'range-6-9-a1', status: 'SUCCEEDED', exitCode: 0 }),
      lambdaContext('job-state'),
    );

    // Assess
    expect(result.outcome).toBe('retried');
    const group = await standIns.store.get('range/6-9');
    expect(String(group?.data.error)).toContain('bootInfo.l2PostRoot');
    expect(submitted).toEqual(['range-6-9-a2']);
    expect(rangeProofs()).toEqual([]);
  });

  it('ignores non-terminal statuses and throws on a malformed event naming the field', async () => {
    // Act
    const running = await jobState(
      batchJobStateChangeEvent({ jobName: 'range-9-12-a1', status: 'RUNNING' }),
      lambdaContext('job-state'),
    );
    const malformed = jobState(
      {
        ...batchJobStateChangeEvent({ jobName: 'range-9-12-a1', status: 'FAILED' }),
        'detail-type': 'ECS Task State Change',
      },
      lambdaContext('job-state'),
    );

    // Assess
    expect(running.outcome).toBe('ignored');
    await expect(malformed).rejects.toThrow(/detail-type/);
  });

  it('applies a failed completion without the stderr tail when the failure document is corrupt', async () => {
    // Prepare
    await deliverBlocks(10, 12);
    submitted = [];
    await standIns.blobs.put('jobs/range/9-12/a1/failure.json', '{"stderrTail": "trunc', 'application/json');
    const failed = batchJobStateChangeEvent({ jobName: 'range-9-12-a1', status: 'FAILED', exitCode: 1 });

    // Act
    const result = await jobState(failed, lambdaContext('job-state'));

    // Assess
    expect(result.outcome).toBe('retried');
    const group = await standIns.store.get('range/9-12');
    expect(group?.data).toMatchObject({ attempt: 2 });
    expect(group?.data.stderrTail).toBeUndefined();
    expect(submitted).toEqual(['range-9-12-a2']);
    const warning = logger.at('warn').find((e) => e.message.includes('failure document is corrupt'));
    expect(warning?.attributes).toMatchObject({ failureKey: 'jobs/range/9-12/a1/failure.json' });
    expect(String(warning?.attributes?.issues)).toMatch(/not JSON/);
  });

  it("leaves our group untouched when another job queue's job, named like ours, fails", async () => {
    // Prepare
    await deliverBlocks(13, 15);
    submitted = [];
    const before = await standIns.store.get('range/12-15');
    const foreign = batchJobStateChangeEvent({
      jobName: 'range-12-15-a1',
      status: 'FAILED',
      exitCode: 1,
      jobQueue: 'another-app-queue',
    });
    const warningsBefore = logger.at('warn').length;

    // Act
    const result = await jobState(foreign, lambdaContext('job-state'));

    // Assess
    expect(before?.status).toBe('running');
    expect(result).toEqual({ outcome: 'ignored', jobName: 'range-12-15-a1' });
    expect(await standIns.store.get('range/12-15')).toEqual(before);
    expect(submitted).toEqual([]);
    const warnings = logger.at('warn').slice(warningsBefore);
    expect(warnings.map((e) => e.message)).toEqual(['job state event of another job queue ignored']);
    expect(warnings[0]?.attributes).toMatchObject({
      jobName: 'range-12-15-a1',
      jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/another-app-queue',
      ownJobQueues: ['range-queue', 'aggregate-queue'],
    });
  });

  it("takes the events of a stage's on-demand-only queue (retries after infrastructure failures) as ours", async () => {
    // Prepare
    const targets = JSON.parse(standIns.env.BATCH_JOB_TARGETS ?? '{}');
    targets.range.onDemandJobQueue = 'range-queue-on-demand';
    const env = { ...standIns.env, BATCH_JOB_TARGETS: JSON.stringify(targets) };
    const ownLogger = new MemoryLogger();
    const runtime = buildRuntime(env, { logger: ownLogger, metrics: new MemoryMetrics() });
    const onDemand = batchJobStateChangeEvent({
      jobName: 'range-0-3-a9',
      status: 'SUCCEEDED',
      jobQueue: 'range-queue-on-demand',
    });

    // Act
    const result = await createJobStateHandler(() => runtime)(onDemand, lambdaContext('job-state'));

    // Assess
    expect(runtime.jobQueueNames()).toContain('range-queue-on-demand');
    expect(result.jobName).toBe('range-0-3-a9');
    expect(ownLogger.at('warn').map((e) => e.message)).not.toContain(
      'job state event of another job queue ignored',
    );
    expect(ownLogger.at('info').map((e) => e.message)).toContain('job completion applied');
  });

  it("reads no state for another job queue's event (a runtime without a state table answers it)", async () => {
    // Prepare: without STATE_TABLE_NAME any state access throws a ConfigError.
    const { STATE_TABLE_NAME: _omitted, ...env } = standIns.env;
    const runtime = buildRuntime(env, { logger: new MemoryLogger(), metrics: new MemoryMetrics() });
    const stateless = createJobStateHandler(() => runtime);
    const foreign = batchJobStateChangeEvent({ jobName: 'range-0-3-a1', status: 'SUCCEEDED', jobQueue: 'q' });

    // Act
    const result = await stateless(foreign, lambdaContext('job-state'));

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(() => runtime.orchestrator()).toThrow(/STATE_TABLE_NAME/);
  });
});
