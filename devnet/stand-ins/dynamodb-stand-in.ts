import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import {
  STATE_TABLE_ATTRIBUTES,
  STATE_TABLE_GSI,
  STATE_TABLE_KEY_SCHEMA,
} from '../../lambdas/adapters/aws/state-table-design.js';
import { closeServer, listenOnLoopback } from './listen-on-loopback.js';
import type { ServiceCallCounter } from './service-call-counter.js';

export interface RunningStandIn {
  /** Base URL for `AWS_ENDPOINT_URL_<SERVICE>`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB API) on loopback, its LevelDB files in `directory` so a restart
 * resumes the state; without `directory` the data lives in memory.
 */
export async function startDynamoDbStandIn(options: {
  directory?: string;
  port?: number;
  counter?: ServiceCallCounter;
}): Promise<RunningStandIn> {
  if (options.directory !== undefined) mkdirSync(options.directory, { recursive: true });
  const server = dynalite({
    ...(options.directory === undefined ? {} : { path: options.directory }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  options.counter?.observe('dynamodb', server);
  const endpoint = await listenOnLoopback(server, options.port ?? 0);
  return { endpoint, close: () => closeServer(server) };
}

/** Creates the pipeline state table with the adapter's key design unless it exists already. */
export async function ensureStateTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: STATE_TABLE_ATTRIBUTES,
        KeySchema: STATE_TABLE_KEY_SCHEMA,
        GlobalSecondaryIndexes: [STATE_TABLE_GSI],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } finally {
    client.destroy();
  }
}
