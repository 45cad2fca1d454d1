import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startSqsEventSource } from '../../../devnet/stand-ins/sqs-event-source.js';
import { SqsQueues } from '../../../devnet/stand-ins/sqs-queues.js';
import { type SqsStandIn, startSqsStandIn } from '../../../devnet/stand-ins/sqs-server.js';

describe('SQS stand-in', () => {
  let standIn: SqsStandIn | undefined;
  let client: SQSClient | undefined;

  afterEach(async () => {
    client?.destroy();
    await standIn?.close();
    standIn = undefined;
  });

  async function start(queues = new SqsQueues()): Promise<SQSClient> {
    standIn = await startSqsStandIn({ queues, maxWaitSeconds: 1 });
    client = new SQSClient({ endpoint: standIn.endpoint });
    return client;
  }

  it('sends, receives with attributes, hides for the visibility timeout and deletes in batches', async () => {
    // Prepare
    const sqs = await start();
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'blocks', Attributes: { VisibilityTimeout: '1' } }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"n":1}',
        MessageAttributes: { topic: { DataType: 'String', StringValue: 'blocks' } },
      }),
    );
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: '{"n":2}' },
          { Id: 'b', MessageBody: '{"n":3}' },
        ],
      }),
    );

    // Act
    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    await sleep(1100);
    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (again.Messages ?? []).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    // Assess
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(first.Messages?.map((message) => message.Body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(first.Messages?.[0]?.MessageAttributes?.topic?.StringValue).toBe('blocks');
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(hidden.Messages ?? []).toHaveLength(0);
    expect(again.Messages?.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual([
      '2',
      '2',
      '2',
    ]);
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    // Prepare
    const sqs = await start();
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'blocks-dlq' }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'blocks',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

    // Act
    for (let receive = 0; receive < 2; receive += 1) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: received.Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl }));

    // Assess
    expect(third.Messages ?? []).toHaveLength(0);
    expect(dead.Messages?.[0]?.Body).toBe('poison');
  });

  it('answers unknown queues with QueueDoesNotExist and purges', async () => {
    // Prepare
    const sqs = await start();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));

    // Act
    const missing = await sqs
      .send(new GetQueueUrlCommand({ QueueName: 'nope' }))
      .catch((error: unknown) => error);
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const afterPurge = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));

    // Assess
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(afterPurge.Messages ?? []).toHaveLength(0);
  });

  it('resumes from its snapshot after a restart', async () => {
    // Prepare
    const snapshotPath = join(mkdtempSync(join(tmpdir(), 'sqs-')), 'sqs.json');
    const sqs = await start(new SqsQueues({ snapshotPath }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept' }));

    // Act
    const reopened = new SqsQueues({ snapshotPath });

    // Assess
    expect(reopened.receive('q', 10).map((message) => message.body)).toEqual(['kept']);
  });

  it('persists a change by appending one journal line, not by rewriting the snapshot', () => {
    // Prepare
    const snapshotPath = join(mkdtempSync(join(tmpdir(), 'sqs-')), 'sqs.json');
    const queues = new SqsQueues({ snapshotPath });
    queues.createQueue('q');
    const journalBefore = readFileSync(`${snapshotPath}.journal`, 'utf8').split('\n').length;

    // Act
    for (let n = 0; n < 20; n += 1) queues.send('q', `m${n}`);

    // Assess
    expect(existsSync(snapshotPath)).toBe(false);
    expect(readFileSync(`${snapshotPath}.journal`, 'utf8').split('\n').length).toBe(journalBefore + 20);
  });

  it('restores exactly what it acknowledged after a restart at any point of a random run', () => {
    // Prepare: a seeded run of sends, receives, deletes, visibility changes, redrives and purges,
    // with compactions in between; the live queues and a reopened copy must answer alike.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let clock = 1_000_000;
    const now = () => clock;
    const snapshotPath = join(mkdtempSync(join(tmpdir(), 'sqs-')), 'sqs.json');
    const live = new SqsQueues({ snapshotPath, now, compactAfterEntries: 17 });
    live.createQueue('dlq');
    live.createQueue('q', {
      VisibilityTimeout: '5',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: SqsQueues.arnOf('dlq', 'us-east-1'),
        maxReceiveCount: 2,
      }),
    });
    const handles: string[] = [];
    const stateOf = (queues: SqsQueues) =>
      ['q', 'dlq'].map((name) => {
        const { ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible } = queues.getAttributes(
          name,
          'us-east-1',
        );
        return { name, ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible };
      });

    for (let step = 0; step < 200; step += 1) {
      // Act
      const action = random(10);
      if (action < 4) live.send('q', `m${step}`);
      else if (action < 6) handles.push(...live.receive('q', 1 + random(3)).map((m) => m.receiptHandle));
      else if (action < 8 && handles.length > 0)
        live.delete('q', handles.splice(random(handles.length), 1)[0]!);
      else if (action === 8) clock += 6_000;
      else if (step % 97 === 0) live.purge('q');
      const reopened = new SqsQueues({ snapshotPath, now });

      // Assess
      expect(stateOf(reopened), `after step ${step}`).toEqual(stateOf(live));
    }
    clock += 6_000;
    expect(Number(live.getAttributes('q', 'us-east-1').ApproximateNumberOfMessages)).toBeGreaterThan(0);
    expect(Number(live.getAttributes('dlq', 'us-east-1').ApproximateNumberOfMessages)).toBeGreaterThan(0);
    const bodies = (queues: SqsQueues, name: string) =>
      queues
        .receive(name, 1000)
        .map((m) => `${m.body}#${m.attributes.ApproximateReceiveCount}`)
        .sort();
    const reopened = new SqsQueues({ snapshotPath, now });
    expect(bodies(reopened, 'q')).toEqual(bodies(live, 'q'));
    expect(bodies(reopened, 'dlq')).toEqual(bodies(live, 'dlq'));
  });

  it('ignores a torn last journal line (a process killed mid-append, before it answered)', () => {
    // Prepare
    const snapshotPath = join(mkdtempSync(join(tmpdir(), 'sqs-')), 'sqs.json');
    const queues = new SqsQueues({ snapshotPath });
    queues.createQueue('q');
    queues.send('q', 'kept');
    appendFileSync(`${snapshotPath}.journal`, '{"op":"sent","queue":"q","messa');

    // Act
    const reopened = new SqsQueues({ snapshotPath });

    // Assess
    expect(reopened.receive('q', 10).map((message) => message.body)).toEqual(['kept']);
  });
});

describe('SQS event source', () => {
  it('deletes handled records and redelivers the ones reported in batchItemFailures', async () => {
    // Prepare
    const queues = new SqsQueues();
    queues.createQueue('topic', { VisibilityTimeout: '1' });
    queues.send('topic', 'ok');
    queues.send('topic', 'fail-once');
    const seen: string[] = [];
    let failed = false;

    // Act
    const source = startSqsEventSource({
      queues,
      queueName: 'topic',
      functionName: 'dispatcher',
      timeoutSeconds: 60,
      // No window: gathering for longer than the 1 s visibility timeout would receive a record twice.
      maxBatchingWindowMs: 0,
      idlePollMs: 20,
      handler: async (event: SQSEvent) => {
        const failures = [];
        for (const record of event.Records) {
          seen.push(`${record.body}#${record.attributes.ApproximateReceiveCount}`);
          expect(record.eventSourceARN).toBe('arn:aws:sqs:us-east-1:000000000000:topic');
          if (record.body === 'fail-once' && !failed) {
            failed = true;
            failures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures: failures };
      },
    });
    const deadline = Date.now() + 5000;
    while (seen.length < 3 && Date.now() < deadline) await sleep(20);
    await source.stop();

    // Assess
    expect(seen).toEqual(['ok#1', 'fail-once#1', 'fail-once#2']);
    expect(queues.getAttributes('topic', 'us-east-1').ApproximateNumberOfMessages).toBe('0');
    expect(queues.getAttributes('topic', 'us-east-1').ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('delivers every message twice when the fault is injected', async () => {
    // Prepare
    const queues = new SqsQueues({ faults: { deliverEveryMessageTwice: true } });
    queues.createQueue('topic');

    // Act
    queues.send('topic', 'twice');
    const received = queues.receive('topic', 10);

    // Assess
    expect(received.map((message) => message.body)).toEqual(['twice', 'twice']);
    expect(received[0]?.messageId).toBe(received[1]?.messageId);
  });
});
