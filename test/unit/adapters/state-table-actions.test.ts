import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { STATE_TABLE_ACTIONS } from '../../../cdk/constructs/state-access.js';
import { DynamoDbStateStore } from '../../../lambdas/adapters/aws/dynamodb-state-store.js';

/** Empty answers for each command, so every store method runs to its end without a table. */
const ANSWERS: Record<string, Record<string, unknown>> = {
  BatchGetItemCommand: { Responses: {} },
  QueryCommand: { Items: [] },
};

describe('the state table actions the function roles get', () => {
  it('cover every DynamoDB command the state store sends', async () => {
    // Prepare: a client that records each command's name and answers it without sending
    const sent = new Set<string>();
    const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
    client.middlewareStack.add(
      (_next, context) => async () => {
        sent.add(String(context.commandName));
        return { output: { $metadata: {}, ...ANSWERS[String(context.commandName)] }, response: {} } as never;
      },
      { step: 'build', name: 'recordCommands' },
    );
    const store = new DynamoDbStateStore({ client, tableName: 'state' });
    const item = { id: 'a/1', kind: 'a', status: 'x', sortKey: '1', data: {} };
    // Act: every method of the port
    await store.get('a/1');
    await store.getMany(['a/1']);
    await store.create(item);
    await store.replace(item, 1);
    await store.overwriteMany([{ ...item, version: 2 }]);
    await store.list('a', 'x');
    await store.delete('a/1', 2);
    // Assess
    const actions = [...sent].map((command) => `dynamodb:${command.replace(/Command$/, '')}`).sort();
    expect(actions).toEqual([...STATE_TABLE_ACTIONS].sort());
  });
});
