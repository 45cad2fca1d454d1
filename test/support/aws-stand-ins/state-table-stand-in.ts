import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureStateTable, startDynamoDbStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';

export interface StateTableStandIn {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite in-process on a free loopback port (tables ACTIVE at once) and creates the
 * pipeline state table with the adapter's key design.
 */
export async function startStateTableStandIn(tableName = 'pipeline-state'): Promise<StateTableStandIn> {
  const standIn = await startDynamoDbStandIn({});
  await ensureStateTable(standIn.endpoint, tableName);
  const client = new DynamoDBClient({ endpoint: standIn.endpoint });
  return {
    endpoint: standIn.endpoint,
    tableName,
    client,
    close: async () => {
      client.destroy();
      await standIn.close();
    },
  };
}
