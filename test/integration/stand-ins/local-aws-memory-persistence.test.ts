import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevnetConfig } from '../../../devnet/runtime/devnet-config.js';
import { type LocalAws, startLocalAws } from '../../../devnet/runtime/local-aws.js';
import { applyLocalAwsEnvironment } from '../../../devnet/runtime/local-aws-environment.js';
import { DynamoDbStateStore } from '../../../lambdas/adapters/aws/dynamodb-state-store.js';
import { S3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.js';
import { SDK_CLIENT_SETTINGS } from '../../../lambdas/adapters/aws/sdk-client-settings.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe("startLocalAws with persistence 'memory'", () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'local-aws-memory-'));
  const config = loadDevnetConfig(join(repoRoot, 'config/devnet.json'));
  let local: LocalAws;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;

  beforeAll(async () => {
    applyLocalAwsEnvironment();
    local = await startLocalAws({
      config,
      stateDirectory,
      repoRoot,
      jobEnvironment: {},
      onJobStateChange: async () => {},
      persistence: 'memory',
    });
    dynamodb = new DynamoDBClient({ ...SDK_CLIENT_SETTINGS, endpoint: local.endpoints.dynamodb });
    s3 = new S3Client({ ...SDK_CLIENT_SETTINGS, endpoint: local.endpoints.s3, forcePathStyle: true });
  });

  afterAll(async () => {
    dynamodb?.destroy();
    s3?.destroy();
    await local?.close();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('answers DynamoDB, S3 and SQS calls without writing their state to the state folder', async () => {
    // Prepare
    const store = new DynamoDbStateStore({
      client: dynamodb,
      tableName: local.environment.STATE_TABLE_NAME ?? '',
    });
    const blobs = new S3BlobStore({ client: s3, bucket: local.environment.ARTIFACT_BUCKET_NAME ?? '' });
    const sqs = new SQSClient({ endpoint: local.endpoints.sqs });
    const queueUrl = Object.values(JSON.parse(local.environment.TOPIC_QUEUE_URLS ?? '{}'))[0] as string;

    // Act
    const created = await store.create({
      id: 'g#1',
      kind: 'g',
      status: 'open',
      sortKey: '1',
      data: { n: 1 },
    });
    const item = await store.get('g#1');
    await blobs.putJson('jobs/j1/output.json', { ok: true });
    const existsBefore = await blobs.exists('jobs/j1/missing.json');
    const output = await blobs.getJson('jobs/j1/output.json');
    const ranged = await s3.send(
      new GetObjectCommand({
        Bucket: local.environment.ARTIFACT_BUCKET_NAME,
        Key: 'jobs/j1/output.json',
        Range: 'bytes=1-4',
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{}' }));
    sqs.destroy();

    // Assess
    expect(created).toBe(true);
    expect(item).toMatchObject({ id: 'g#1', status: 'open', version: 1, data: { n: 1 } });
    expect(existsBefore).toBe(false);
    expect(output).toEqual({ ok: true });
    expect(await ranged.Body?.transformToString()).toBe(JSON.stringify({ ok: true }).slice(1, 5));
    expect(ranged.ContentRange).toMatch(/^bytes 1-4\//);
    // Only the Batch stand-in's folder: no dynamodb/ (LevelDB), s3/ (objects) or sqs.json (+ journal).
    expect(readdirSync(stateDirectory).filter((name) => name !== 'batch')).toEqual([]);
  });

  it('answers an S3 operation the memory store does not keep with 501 NotImplemented naming the setting', async () => {
    // Act
    const listing = await s3
      .send(
        new ListObjectsV2Command({
          Bucket: local.environment.ARTIFACT_BUCKET_NAME,
        }),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(listing).toBeInstanceOf(S3ServiceException);
    expect((listing as S3ServiceException).$metadata.httpStatusCode).toBe(501);
    expect((listing as S3ServiceException).message).toMatch(/persistence 'directory'/);
  });
});
