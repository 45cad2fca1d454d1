import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalAws } from '../devnet/runtime/local-aws.js';
import { SqsQueues } from '../devnet/stand-ins/sqs-queues.js';
import { DynamoDbStateStore } from '../lambdas/adapters/aws/dynamodb-state-store.js';
import { S3BlobStore } from '../lambdas/adapters/aws/s3-blob-store.js';
import { SDK_CLIENT_SETTINGS } from '../lambdas/adapters/aws/sdk-client-settings.js';
import { SqsMessageBus } from '../lambdas/adapters/aws/sqs-message-bus.js';
import { MemoryBlobStore } from '../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store.js';
import { pipelineResourceNames, pipelineTopics } from '../lambdas/core/config/pipeline-resource-names.js';
import type { PipelineConfig } from '../lambdas/core/config/schema.js';
import type { Envelope } from '../lambdas/core/messages/envelope.js';
import type { BlobStore } from '../lambdas/core/ports/blob-store.js';
import type { MessageBus } from '../lambdas/core/ports/message-bus.js';
import type { StateStore } from '../lambdas/core/ports/state-store.js';
import { readTopicQueueUrls } from '../lambdas/handlers/handler-environment.js';
import { type CallCounts, counted } from './sdk-call-counts.js';

/** Where the benchmark's orchestrator keeps its state: the stand-ins over HTTP, or the in-memory ports. */
export type BenchStore = 'stand-ins' | 'memory';

/** The ports one benchmark run wires the orchestrator to, and what the run reads beside it. */
export interface BenchPorts {
  /** The orchestrator's store, blobs and bus, every call counted into the run's `CallCounts`. */
  readonly store: StateStore;
  readonly blobs: BlobStore;
  readonly bus: MessageBus;
  /** Uncounted: the benchmark's own progress reads. */
  readonly observer: StateStore;
  /** Uncounted: where the instant prover writes its outputs (its calls are not the orchestrator's). */
  readonly proverBlobs: BlobStore;
  /** The queues the SQS event sources poll. */
  readonly queues: SqsQueues;
  close(): void;
}

/** The real AWS adapters over SDK clients to the local stand-ins, each client with the counting middleware. */
export function standInPorts(config: PipelineConfig, local: LocalAws, calls: CallCounts): BenchPorts {
  const names = pipelineResourceNames(config.name);
  const { dynamodb: dynamodbEndpoint, s3: s3Endpoint, sqs: sqsEndpoint } = local.endpoints;
  // The handlers' client settings (orchestrator-runtime.ts, s3-client.ts, sqs-message-bus-from-env.ts).
  const dynamodb = counted(new DynamoDBClient({ ...SDK_CLIENT_SETTINGS, endpoint: dynamodbEndpoint }), calls);
  const s3 = counted(
    new S3Client({ ...SDK_CLIENT_SETTINGS, endpoint: s3Endpoint, forcePathStyle: true }),
    calls,
  );
  const sqs = counted(new SQSClient({ ...SDK_CLIENT_SETTINGS, endpoint: sqsEndpoint }), calls);
  const observerDynamoDb = new DynamoDBClient({ ...SDK_CLIENT_SETTINGS, endpoint: dynamodbEndpoint });
  const proverS3 = new S3Client({ ...SDK_CLIENT_SETTINGS, endpoint: s3Endpoint, forcePathStyle: true });
  const tableName = names.stateTable;
  return {
    store: new DynamoDbStateStore({ client: dynamodb, tableName }),
    blobs: new S3BlobStore({ client: s3, bucket: names.artifactBucket }),
    bus: new SqsMessageBus({ client: sqs, queueUrls: readTopicQueueUrls(local.environment) }),
    observer: new DynamoDbStateStore({ client: observerDynamoDb, tableName }),
    proverBlobs: new S3BlobStore({ client: proverS3, bucket: names.artifactBucket }),
    queues: local.queues,
    close: () => {
      for (const client of [dynamodb, s3, sqs, observerDynamoDb, proverS3]) client.destroy();
    },
  };
}

/**
 * The in-memory ports (`lambdas/adapters/memory`) and the SQS stand-in's queue model in process
 * (no HTTP, no persistence): the same orchestrator with no stand-in or SDK cost, so the figure is
 * its own ceiling. Each port call is counted as the AWS call its adapter would make (PutItem per
 * create or replace, BatchGetItem per 100 ids, Query per list, SendMessageBatch per 10 envelopes
 * of a topic, PutObject / GetObject per blob).
 */
export function memoryPorts(config: PipelineConfig, calls: CallCounts): BenchPorts {
  const names = pipelineResourceNames(config.name);
  const state = new MemoryStateStore();
  const blobStore = new MemoryBlobStore();
  const queues = new SqsQueues();
  for (const topic of pipelineTopics(config)) queues.createQueue(names.queue(topic));
  /** Counts one call (or `n`) of `command` and passes the port's answer on. */
  const count = <T>(client: string, command: string, answer: T, n = 1): T => {
    const byCommand = calls[client] ?? {};
    byCommand[command] = (byCommand[command] ?? 0) + n;
    calls[client] = byCommand;
    return answer;
  };
  const dynamodb = <T>(command: string, answer: T, n?: number): T =>
    count('DynamoDBClient', command, answer, n);
  const s3 = <T>(command: string, answer: T): T => count('S3Client', command, answer);
  const store: StateStore = {
    get: (id) => dynamodb('GetItemCommand', state.get(id)),
    getMany: (ids) => dynamodb('BatchGetItemCommand', state.getMany(ids), Math.ceil(new Set(ids).size / 100)),
    create: (item) => dynamodb('PutItemCommand', state.create(item)),
    replace: (item, version) => dynamodb('PutItemCommand', state.replace(item, version)),
    overwriteMany: (items) =>
      dynamodb('BatchWriteItemCommand', state.overwriteMany(items), Math.ceil(items.length / 25)),
    list: (kind, status, options) => dynamodb('QueryCommand', state.list(kind, status, options)),
    delete: (id, version) => dynamodb('DeleteItemCommand', state.delete(id, version)),
  };
  const blobs: BlobStore = {
    put: (key, body, type) => s3('PutObjectCommand', blobStore.put(key, body, type)),
    putJson: (key, value) => s3('PutObjectCommand', blobStore.putJson(key, value)),
    get: (key) => s3('GetObjectCommand', blobStore.get(key)),
    getJson: (key) => s3('GetObjectCommand', blobStore.getJson(key)),
    exists: (key) => s3('HeadObjectCommand', blobStore.exists(key)),
  };
  const bus: MessageBus = {
    async publish(envelopes: readonly Envelope[]) {
      const byTopic = new Map<string, Envelope[]>();
      for (const envelope of envelopes)
        byTopic.set(envelope.topic, [...(byTopic.get(envelope.topic) ?? []), envelope]);
      for (const [topic, queued] of byTopic) {
        const queue = names.queue(topic);
        if (!queues.has(queue)) throw new Error(`no queue for topic "${topic}"`);
        count('SQSClient', 'SendMessageBatchCommand', undefined, Math.ceil(queued.length / 10));
        for (const envelope of queued) queues.send(queue, JSON.stringify(envelope));
      }
    },
  };
  return { store, blobs, bus, observer: state, proverBlobs: blobStore, queues, close: () => {} };
}
