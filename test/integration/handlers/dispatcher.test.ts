import { setTimeout as sleep } from 'node:timers/promises';
import { BatchClient, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../devnet/stand-ins/lambda-context.js';
import type { ReceivedMessage } from '../../../devnet/stand-ins/sqs-message.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { buildRuntime, type Runtime } from '../../../lambdas/handlers/composition-root.js';
import { createDispatcherHandler, dispatchSqsRecords } from '../../../lambdas/handlers/dispatcher.js';
import { type HandlerStandIns, startHandlerStandIns } from '../../support/aws-stand-ins/handler-stand-ins.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const blockBody = (n: number) =>
  JSON.stringify(
    makeEnvelope(
      'blocks',
      String(n),
      { number: String(n), hash: hash(n), parentHash: hash(n - 1) },
      systemClock.now(),
    ),
  );

function sqsRecord(messageId: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1714564800000',
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: '1714564800000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:dispatch-test-blocks',
    awsRegion: 'us-east-1',
  };
}

const toRecord = (message: ReceivedMessage): SQSRecord =>
  sqsRecord(message.messageId, message.body, Number(message.attributes.ApproximateReceiveCount));

describe('dispatcher handler with SQS events', () => {
  const batch = mockClient(BatchClient);
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  let standIns: HandlerStandIns;
  let handler: ReturnType<typeof createDispatcherHandler>;
  let runtime: Runtime;

  beforeAll(async () => {
    const config = testPipelineConfig('dispatch-test');
    standIns = await startHandlerStandIns(config, ['blocks', 'range-proofs', 'aggregate-proofs'], {
      maxReceiveCount: 2,
    });
    runtime = buildRuntime(standIns.env, { logger, metrics });
    handler = createDispatcherHandler(() => runtime);
  });

  afterAll(async () => {
    batch.restore();
    await standIns.close();
  });

  beforeEach(() => {
    batch.reset();
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    let n = 0;
    batch.on(SubmitJobCommand).callsFake(() => ({ jobId: `job-${++n}`, jobName: 'x', jobArn: 'arn' }));
  });

  it('dispatches a batch, reporting only the malformed record as a failure with the reason logged', async () => {
    // Prepare
    const event: SQSEvent = {
      Records: [
        sqsRecord('m-1', blockBody(1)),
        sqsRecord('m-bad', '{"v":1,"id":"blocks/2","topic":"blocks"}'),
        sqsRecord('m-2', blockBody(2)),
        sqsRecord('m-3', blockBody(3)),
      ],
    };

    // Act
    const response = await handler(event, lambdaContext('dispatcher'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    const logged = logger.entries.find((e) => e.level === 'error' && e.attributes?.sqsMessageId === 'm-bad');
    expect(logged?.message).toBe('malformed message: reported as a batch item failure');
    expect(String(logged?.attributes?.reason)).toMatch(/key: .*got nothing/);
    const submitted = batch.commandCalls(SubmitJobCommand).map((c) => c.args[0].input);
    expect(submitted.map((s) => s.jobName)).toEqual(['range-0-3-a1']);
    expect(submitted[0]?.jobQueue).toBe('range-queue');
    expect((await standIns.store.get('range/0-3'))?.status).toBe('running');
    expect(await standIns.blobs.getJson('jobs/range/0-3/a1/input.json')).toMatchObject({
      program: 'range',
      start: '0',
      end: '3',
      rollupConfigHash: `0x${'5a'.repeat(32)}`,
    });
  });

  it('treats a duplicate delivery as a no-op', async () => {
    // Prepare
    const before = await standIns.store.get('blocks/2');

    // Act
    const response = await handler(
      { Records: [sqsRecord('m-2-again', blockBody(2), 2)] },
      lambdaContext('dispatcher'),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await standIns.store.get('blocks/2')).toEqual(before);
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
    expect(
      logger.entries.some(
        (e) => e.attributes?.sqsMessageId === 'm-2-again' && e.attributes.recorded === 'duplicate',
      ),
    ).toBe(true);
  });

  it('reports every record of a batch in which all fail, without throwing, in event order', async () => {
    // Prepare
    const event: SQSEvent = {
      Records: [
        sqsRecord('all-bad-1', '{"v":1}'),
        sqsRecord('all-bad-2', '{}'),
        sqsRecord('all-bad-3', '[]'),
      ],
    };

    // Act
    const response = await handler(event, lambdaContext('dispatcher'));

    // Assess
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: 'all-bad-1' },
        { itemIdentifier: 'all-bad-2' },
        { itemIdentifier: 'all-bad-3' },
      ],
    });
    const logged = logger.entries.filter((e) => String(e.attributes?.sqsMessageId).startsWith('all-bad-'));
    expect(logged.map((e) => [e.level, e.attributes?.sqsMessageId])).toEqual([
      ['error', 'all-bad-1'],
      ['error', 'all-bad-2'],
      ['error', 'all-bad-3'],
    ]);
  });

  it('records the records of a batch in parallel and runs the collectors once for the batch', async () => {
    // Prepare: count the collector runs by their cursor reads, and how many store calls overlap
    const deps = runtime.orchestrator();
    let cursorReads = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    const store = new Proxy(deps.store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (readsCursor(property, args)) cursorReads++;
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          try {
            await sleep(5);
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const ids = ['par-10', 'par-11', 'par-12', 'par-13'];
    const records = ids.map((id, i) => sqsRecord(id, blockBody(10 + i)));

    // Act
    const response = await dispatchSqsRecords({ ...deps, store }, logger, records);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(mostInFlight).toBeGreaterThan(1);
    expect(cursorReads).toBe(1);
    const recorded = logger.entries
      .filter((e) => e.message === 'message recorded' && ids.includes(String(e.attributes?.sqsMessageId)))
      .map((e) => [e.attributes?.sqsMessageId, e.attributes?.recorded]);
    expect(recorded).toEqual(ids.map((id) => [id, 'new']));
    expect((await standIns.store.get('blocks/12'))?.status).toBe('pending');
  });

  it('reports only the record whose recording failed, and every record when the collector run fails', async () => {
    // Prepare: the create of blocks/21 fails; then the cursor read (the collector run) fails
    const deps = runtime.orchestrator();
    let failCursor = false;
    const store = new Proxy(deps.store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const id = property === 'create' ? (args[0] as { id: string }).id : String(args[0]);
          if (property === 'create' && id === 'blocks/21') throw new Error('throttled');
          if (failCursor && readsCursor(property, args)) throw new Error('store outage');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const records = [20, 21, 22].map((n) => sqsRecord(`rec-${n}`, blockBody(n)));

    // Act
    const partial = await dispatchSqsRecords({ ...deps, store }, logger, records);
    failCursor = true;
    const whole = await dispatchSqsRecords({ ...deps, store }, logger, [records[0]!, records[2]!]);

    // Assess
    expect(partial).toEqual({ batchItemFailures: [{ itemIdentifier: 'rec-21' }] });
    expect((await standIns.store.get('blocks/20'))?.status).toBe('pending');
    expect(await standIns.store.get('blocks/21')).toBeUndefined();
    expect(whole).toEqual({
      batchItemFailures: [{ itemIdentifier: 'rec-20' }, { itemIdentifier: 'rec-22' }],
    });
    const logged = logger.entries.filter((e) => e.message.startsWith('collector run failed'));
    expect(logged.map((e) => e.attributes?.reason)).toEqual(['store outage']);
  });

  it('lets a malformed message reach the DLQ after maxReceiveCount while its neighbours are deleted', async () => {
    // Prepare
    const queue = standIns.queueName('blocks');
    standIns.queues.send(queue, 'not json at all', {}, 0);
    standIns.queues.send(queue, blockBody(4), {}, 0);

    // Act: poll like the event source mapping (visibility 0 so a failed record is visible again at once)
    for (let round = 0; round < 3; round++) {
      const messages = standIns.queues.receive(queue, 10, 0);
      if (messages.length === 0) break;
      const response = await handler({ Records: messages.map(toRecord) }, lambdaContext('dispatcher'));
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of messages)
        if (!failed.has(message.messageId)) standIns.queues.delete(queue, message.receiptHandle);
    }

    // Assess
    expect(standIns.queues.receive(queue, 10, 0)).toEqual([]);
    const dead = standIns.queues.receive(standIns.deadLetterQueueName('blocks'), 10);
    expect(dead.map((m) => m.body)).toEqual(['not json at all']);
    expect((await standIns.store.get('blocks/4'))?.status).toBe('pending');
    const reasons = logger.entries.filter(
      (e) => e.level === 'error' && String(e.attributes?.reason).includes('not JSON'),
    );
    expect(reasons.map((e) => e.attributes?.receiveCount)).toEqual(['1', '2']);
  });
});

/** Whether a store call reads a collector cursor: alone, or batched with the run's other reads. */
function readsCursor(method: string | symbol, args: readonly unknown[]): boolean {
  const ids = method === 'get' ? [String(args[0])] : method === 'getMany' ? (args[0] as string[]) : [];
  return ids.some((id) => id.startsWith('cursor/'));
}
