import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { attributeCallsTo } from '../../../devnet/stand-ins/caller-attribution.js';
import { ensureStateTable, startDynamoDbStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { ServiceCallCounter, UNATTRIBUTED_CALLER } from '../../../devnet/stand-ins/service-call-counter.js';

describe('AWS calls attributed to the calling function', () => {
  it('counts the SDK calls of concurrent invocations under each function and the rest as unattributed', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'caller-attribution-'));
    const counter = new ServiceCallCounter();
    const dynamo = await startDynamoDbStandIn({ directory, counter });
    await ensureStateTable(dynamo.endpoint, 'state');
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    const before = counter.snapshot().byCaller[UNATTRIBUTED_CALLER] ?? {};

    // Act: the two invocations interleave on one client (and its keep-alive sockets).
    try {
      await Promise.all([
        attributeCallsTo('watcher', async () => {
          for (let i = 0; i < 3; i++) {
            await client.send(new DescribeTableCommand({ TableName: 'state' }));
            await sleep(5);
          }
        }),
        attributeCallsTo('proposer', async () => {
          await sleep(2);
          await client.send(new ListTablesCommand({}));
        }),
      ]);
      await client.send(new ListTablesCommand({}));
    } finally {
      client.destroy();
      await dynamo.close();
      rmSync(directory, { recursive: true, force: true });
    }

    // Assess
    const { byCaller } = counter.snapshot();
    expect(byCaller.watcher).toEqual({ 'dynamodb:DescribeTable': 3 });
    expect(byCaller.proposer).toEqual({ 'dynamodb:ListTables': 1 });
    expect(byCaller[UNATTRIBUTED_CALLER]?.['dynamodb:ListTables']).toBe(
      (before['dynamodb:ListTables'] ?? 0) + 1,
    );
  });
});
