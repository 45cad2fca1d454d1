import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsQueues } from '../../../devnet/stand-ins/sqs-queues.js';
import { type SqsStandIn, startSqsStandIn } from '../../../devnet/stand-ins/sqs-server.js';
import { MessagePublishError, SqsMessageBus } from '../../../lambdas/adapters/aws/sqs-message-bus.js';
import { ManualClock } from '../../../lambdas/adapters/memory/manual-clock.js';
import type { Envelope } from '../../../lambdas/core/messages/envelope.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';

const clock = new ManualClock('2024-05-01T12:00:00.000Z');
const blocks = (from: number, count: number): Envelope[] =>
  Array.from({ length: count }, (_, i) =>
    makeEnvelope('blocks', String(from + i), { number: String(from + i) }, clock.now()),
  );

describe('SqsMessageBus against the SQS stand-in', () => {
  let queues: SqsQueues;
  let standIn: SqsStandIn;
  let client: SQSClient;

  beforeAll(async () => {
    queues = new SqsQueues();
    standIn = await startSqsStandIn({ queues });
    queues.createQueue('blocks');
    queues.createQueue('range-proofs');
    client = new SQSClient({ endpoint: standIn.endpoint });
  });

  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it('routes envelopes to their topic queues with topic and id attributes', async () => {
    // Prepare
    const bus = new SqsMessageBus({
      client,
      queueUrls: { blocks: standIn.queueUrl('blocks'), 'range-proofs': standIn.queueUrl('range-proofs') },
    });
    const envelopes = [
      ...blocks(1, 23),
      makeEnvelope('range-proofs', '0-5', { start: '0', end: '5' }, clock.now()),
    ];

    // Act
    await bus.publish(envelopes);

    // Assess
    const received = [
      ...queues.receive('blocks', 10),
      ...queues.receive('blocks', 10),
      ...queues.receive('blocks', 10),
    ];
    expect(received.map((m) => JSON.parse(m.body).id).sort()).toEqual(
      envelopes
        .slice(0, 23)
        .map((e) => e.id)
        .sort(),
    );
    expect(received[0]?.messageAttributes.topic).toEqual({ DataType: 'String', StringValue: 'blocks' });
    expect(received[0]?.messageAttributes.id?.StringValue).toBe(JSON.parse(received[0]?.body ?? '{}').id);
    const ranges = queues.receive('range-proofs', 10);
    expect(ranges.map((m) => JSON.parse(m.body))).toEqual([envelopes[23]]);
  });

  it('refuses a topic without a queue, naming the topic and the known ones', async () => {
    // Prepare
    const bus = new SqsMessageBus({ client, queueUrls: { blocks: standIn.queueUrl('blocks') } });

    // Act
    const publishing = bus.publish([makeEnvelope('nowhere', '1', {}, clock.now())]);

    // Assess
    await expect(publishing).rejects.toBeInstanceOf(MessagePublishError);
    await expect(publishing).rejects.toThrow('no queue for topic "nowhere"');
  });
});

describe('SqsMessageBus batching and partial failures (SDK mock)', () => {
  const client = new SQSClient({});
  const sqs = mockClient(client);
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/blocks';

  it('sends in chunks of 10 and resends only the failed entries with backoff', async () => {
    // Prepare
    sqs.reset();
    const sleeps: number[] = [];
    let call = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      call += 1;
      const failed = call === 1 ? [{ Id: 'm3', SenderFault: false, Code: 'InternalError' }] : [];
      return {
        Successful: input.Entries.filter((e) => !failed.some((f) => f.Id === e.Id)).map((e) => ({
          Id: e.Id,
        })),
        Failed: failed,
      };
    });
    const bus = new SqsMessageBus({
      client,
      queueUrls: { blocks: queueUrl },
      sleep: async (ms) => void sleeps.push(ms),
    });

    // Act
    await bus.publish(blocks(1, 23));

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 1, 10, 3]);
    expect(calls[1]?.Entries?.[0]?.Id).toBe('m3');
    expect(JSON.parse(calls[1]?.Entries?.[0]?.MessageBody ?? '{}').id).toBe('blocks/4');
    expect(calls.every((c) => c.QueueUrl === queueUrl)).toBe(true);
    expect(sleeps).toEqual([100]);
  });

  it('gives up after maxAttempts naming the message', async () => {
    // Prepare
    sqs.reset();
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: 'm0', SenderFault: false, Code: 'ServiceUnavailable' }] });
    const bus = new SqsMessageBus({
      client,
      queueUrls: { blocks: queueUrl },
      maxAttempts: 3,
      sleep: async () => {},
    });

    // Act
    const publishing = bus.publish(blocks(7, 1));

    // Assess
    await expect(publishing).rejects.toThrow(/after 3 attempts/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('does not retry a sender fault', async () => {
    // Prepare
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'm0', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }],
    });
    const bus = new SqsMessageBus({ client, queueUrls: { blocks: queueUrl }, sleep: async () => {} });

    // Act
    const publishing = bus.publish(blocks(9, 1));

    // Assess
    await expect(publishing).rejects.toThrow('SQS refused message blocks/9: InvalidMessageContents');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});
