import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ensureStateTable, startDynamoDbStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { startS3StandIn } from '../../../devnet/stand-ins/s3-stand-in.js';
import { SqsQueues } from '../../../devnet/stand-ins/sqs-queues.js';
import { startSqsStandIn } from '../../../devnet/stand-ins/sqs-server.js';
import { DynamoDbStateStore } from '../../../lambdas/adapters/aws/dynamodb-state-store.js';
import { S3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.js';
import type { PipelineConfigInput } from '../../../lambdas/core/config/schema.js';
import { S3RVER_CREDENTIALS } from './artifact-bucket-stand-in.js';

export const TEST_ROLLUP_CONFIG_HASH = `0x${'5a'.repeat(32)}`;

export interface HandlerStandIns {
  /** The handler environment contract (config, table, bucket, queues, Batch targets, hash). */
  readonly env: Record<string, string>;
  readonly queues: SqsQueues;
  queueName(topic: string): string;
  deadLetterQueueName(topic: string): string;
  /** Direct access for arranging and asserting. */
  readonly store: DynamoDbStateStore;
  readonly blobs: S3BlobStore;
  close(): Promise<void>;
}

/**
 * Starts dynalite, s3rver and the SQS stand-in in-process on loopback for handler tests, creates the
 * state table, the artifact bucket and a queue + DLQ per topic (redrive after `maxReceiveCount`), and
 * points this process's AWS SDK at them through `AWS_ENDPOINT_URL_<SERVICE>` (credentials: s3rver's).
 * Batch is not started: tests mock the Batch client.
 */
export async function startHandlerStandIns(
  config: PipelineConfigInput,
  topics: readonly string[],
  options: { maxReceiveCount?: number } = {},
): Promise<HandlerStandIns> {
  const directory = mkdtempSync(join(tmpdir(), 'handler-stand-ins-'));
  const tableName = `${config.name}-state`;
  const bucket = `${config.name}-artifacts`;
  const dynamodb = await startDynamoDbStandIn({});
  const s3 = await startS3StandIn({ directory, bucket });
  const queues = new SqsQueues();
  const sqs = await startSqsStandIn({ queues });
  await ensureStateTable(dynamodb.endpoint, tableName);

  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
  });

  const queueName = (topic: string) => `${config.name}-${topic}`;
  const deadLetterQueueName = (topic: string) => `${config.name}-${topic}-dlq`;
  const queueUrls: Record<string, string> = {};
  for (const topic of topics) {
    queues.createQueue(deadLetterQueueName(topic));
    queues.createQueue(queueName(topic), {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: SqsQueues.arnOf(deadLetterQueueName(topic), 'us-east-1'),
        maxReceiveCount: options.maxReceiveCount ?? 3,
      }),
    });
    queueUrls[topic] = sqs.queueUrl(queueName(topic));
  }
  const stages = (config.stages ?? []).map((stage) => stage.name);
  const env: Record<string, string> = {
    PIPELINE_CONFIG_JSON: JSON.stringify(config),
    STATE_TABLE_NAME: tableName,
    ARTIFACT_BUCKET_NAME: bucket,
    TOPIC_QUEUE_URLS: JSON.stringify(queueUrls),
    BATCH_JOB_TARGETS: JSON.stringify(
      Object.fromEntries(
        stages.map((stage) => [stage, { jobQueue: `${stage}-queue`, jobDefinition: `${stage}-definition` }]),
      ),
    ),
    ROLLUP_CONFIG_HASH: TEST_ROLLUP_CONFIG_HASH,
  };
  const dynamoClient = new DynamoDBClient({ endpoint: dynamodb.endpoint });
  const s3Client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  return {
    env,
    queues,
    queueName,
    deadLetterQueueName,
    store: new DynamoDbStateStore({ client: dynamoClient, tableName }),
    blobs: new S3BlobStore({ client: s3Client, bucket }),
    close: async () => {
      dynamoClient.destroy();
      s3Client.destroy();
      await sqs.close();
      await s3.close();
      await dynamodb.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
