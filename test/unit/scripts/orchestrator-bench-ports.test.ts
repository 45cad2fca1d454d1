import { describe, expect, it } from 'vitest';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { memoryPorts } from '../../../scripts/orchestrator-bench-ports.js';
import type { CallCounts } from '../../../scripts/sdk-call-counts.js';
import { devnetConfig } from '../core/orchestrator/orchestrator-fixture.js';

describe('memoryPorts (bench --store memory)', () => {
  it('counts each port call as the AWS call its adapter would make, and queues what is published', async () => {
    // Prepare
    const calls: CallCounts = {};
    const ports = memoryPorts(devnetConfig(), calls);
    const item = { id: 'blocks/1', kind: 'message#blocks', status: 'pending', sortKey: '1', data: {} };
    const ids = Array.from({ length: 150 }, (_, n) => `blocks/${n}`);
    const envelopes = Array.from({ length: 11 }, (_, n) =>
      makeEnvelope('blocks', String(n + 1), { n }, new Date(0)),
    );

    // Act
    await ports.store.create(item);
    await ports.store.replace(item, 1);
    await ports.store.getMany([...ids, 'blocks/1']);
    await ports.store.list('message#blocks', 'pending');
    await ports.blobs.putJson('a.json', {});
    await ports.bus.publish(envelopes);

    // Assess
    expect(calls).toEqual({
      DynamoDBClient: { PutItemCommand: 2, BatchGetItemCommand: 2, QueryCommand: 1 },
      S3Client: { PutObjectCommand: 1 },
      SQSClient: { SendMessageBatchCommand: 2 },
    });
    expect(ports.queues.receive('devnet-blocks', 20).map((m) => JSON.parse(m.body).id)).toEqual(
      envelopes.map((e) => e.id),
    );
    expect((await ports.observer.get('blocks/1'))?.version).toBe(2);
  });
});
