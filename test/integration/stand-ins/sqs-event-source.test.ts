import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RunningEventSource,
  type SqsEventSourceOptions,
  startSqsEventSource,
} from '../../../devnet/stand-ins/sqs-event-source.js';
import { SqsQueues } from '../../../devnet/stand-ins/sqs-queues.js';

interface Invocation {
  readonly bodies: string[];
  /** Milliseconds from the source's start. */
  readonly atMs: number;
}

/** A queue `topic` with a source on it whose handler records each invocation's bodies and time. */
function sourceOn(
  queues: SqsQueues,
  options: Partial<SqsEventSourceOptions>,
): { source: RunningEventSource; invocations: Invocation[] } {
  const invocations: Invocation[] = [];
  const startedAt = Date.now();
  const source = startSqsEventSource({
    queues,
    queueName: 'topic',
    functionName: 'dispatcher',
    timeoutSeconds: 60,
    handler: async (event: SQSEvent) => {
      invocations.push({ bodies: event.Records.map((record) => record.body), atMs: Date.now() - startedAt });
      return { batchItemFailures: [] };
    },
    ...options,
  });
  return { source, invocations };
}

async function untilInvoked(invocations: Invocation[], count: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (invocations.length < count && Date.now() < deadline) await sleep(5);
}

describe('SQS event source batching', () => {
  let running: RunningEventSource | undefined;
  const queues = new SqsQueues();
  queues.createQueue('topic');

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    queues.purge('topic');
  });

  it('gathers the records sent within the window after the first into one invocation', async () => {
    // Prepare
    queues.send('topic', 'a');
    const { source, invocations } = sourceOn(queues, { maxBatchingWindowMs: 300, idlePollMs: 10_000 });
    running = source;

    // Act
    await sleep(100);
    queues.send('topic', 'b');
    queues.send('topic', 'c');
    await untilInvoked(invocations, 1, 2000);

    // Assess
    expect(invocations.map((invocation) => invocation.bodies)).toEqual([['a', 'b', 'c']]);
    expect(invocations[0]?.atMs).toBeGreaterThanOrEqual(280);
  });

  it('invokes once the batch is full, before the window ends, and leaves the rest for the next batch', async () => {
    // Prepare
    const { source, invocations } = sourceOn(queues, { batchSize: 3, maxBatchingWindowMs: 5000 });
    running = source;

    // Act
    for (const body of ['a', 'b', 'c', 'd', 'e']) queues.send('topic', body);
    await untilInvoked(invocations, 1, 2000);
    await source.stop();

    // Assess: the second batch was still gathering (2 < 3) and was handed over at stop.
    expect(invocations.map((invocation) => invocation.bodies)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(invocations[0]?.atMs).toBeLessThan(1000);
  });

  it('wakes on a send to an empty queue instead of waiting for the next poll', async () => {
    // Prepare
    const { source, invocations } = sourceOn(queues, { maxBatchingWindowMs: 0, idlePollMs: 10_000 });
    running = source;
    await sleep(50);

    // Act
    const sentAt = Date.now();
    queues.send('topic', 'a');
    await untilInvoked(invocations, 1, 1000);

    // Assess
    expect(invocations.map((invocation) => invocation.bodies)).toEqual([['a']]);
    expect(Date.now() - sentAt).toBeLessThan(500);
  });

  it('redelivers only the records a batch reported as failed', async () => {
    // Prepare
    // Shorter than the window, the visibility timeout would hand a gathered record over twice.
    queues.setAttributes('topic', { VisibilityTimeout: '1' });
    const seen: string[] = [];
    running = startSqsEventSource({
      queues,
      queueName: 'topic',
      functionName: 'dispatcher',
      timeoutSeconds: 60,
      maxBatchingWindowMs: 100,
      idlePollMs: 10,
      handler: async (event: SQSEvent) => {
        seen.push(event.Records.map((record) => record.body).join(','));
        const failing = event.Records.filter((record) => record.body === 'b' && seen.length === 1);
        return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
      },
    });

    // Act
    queues.send('topic', 'a');
    queues.send('topic', 'b');
    const deadline = Date.now() + 3000;
    while (seen.length < 2 && Date.now() < deadline) await sleep(5);
    await running.stop();
    running = undefined;
    queues.setAttributes('topic', { VisibilityTimeout: '30' });

    // Assess
    expect(seen).toEqual(['a,b', 'b']);
    expect(queues.getAttributes('topic', 'us-east-1').ApproximateNumberOfMessages).toBe('0');
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize got 0, expected a whole number in 1…10000'],
    [{ maxBatchingWindowMs: 301_000 }, 'maxBatchingWindowMs got 301000, expected 0…300000'],
    [{ idlePollMs: 0 }, 'idlePollMs got 0, expected a positive number of ms'],
  ])('refuses %o, naming the option', (options, message) => {
    // Prepare, Act, Assess
    expect(() => sourceOn(queues, options)).toThrow(`SQS event source of topic: ${message}`);
  });
});
