import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { attributeCallsTo } from '../../../devnet/stand-ins/caller-attribution.js';
import { ensureStateTable } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { ServiceCallCounter } from '../../../devnet/stand-ins/service-call-counter.js';
import { startStorageStandIns } from '../../../devnet/stand-ins/storage-stand-ins.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'storage-stand-ins-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('storage stand-ins in a child process', () => {
  it('answer DynamoDB and S3 calls, replay their counts by caller into the parent, and exit on close', async () => {
    // Prepare
    const counter = new ServiceCallCounter();
    const standIns = await startStorageStandIns({
      placement: 'child-process',
      cwd: repoRoot,
      dynamodbDirectory: join(directory, 'dynamodb'),
      s3Directory: join(directory, 's3'),
      bucket: 'artifacts',
      counter,
    });
    const dynamodb = new DynamoDBClient({ endpoint: standIns.endpoints.dynamodb });
    const s3 = new S3Client({ endpoint: standIns.endpoints.s3, forcePathStyle: true });
    const item = { id: { S: 'blocks/1' }, kindStatus: { S: 'blocks#pending' }, sortKey: { S: '1' } };

    // Act
    await ensureStateTable(standIns.endpoints.dynamodb, 'state');
    await attributeCallsTo('dispatcher', async () => {
      await dynamodb.send(new PutItemCommand({ TableName: 'state', Item: item }));
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'a.json', Body: '{"a":1}' }));
    });
    const read = await dynamodb.send(new GetItemCommand({ TableName: 'state', Key: { id: item.id } }));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'a.json' }));
    const body = await object.Body?.transformToString();
    const cpuSeconds = await standIns.cpuSeconds();
    dynamodb.destroy();
    s3.destroy();
    await standIns.close();
    const afterClose = await fetch(standIns.endpoints.dynamodb).then(
      () => 'answered',
      () => 'refused',
    );

    // Assess
    expect(read.Item?.sortKey?.S).toBe('1');
    expect(body).toBe('{"a":1}');
    const counts = counter.snapshot();
    expect(counts.byCaller.dispatcher).toEqual({ 'dynamodb:PutItem': 1, 's3:PUTObject': 1 });
    expect(counts.byOperation).toMatchObject({
      'dynamodb:GetItem': 1,
      's3:GETObject': 1,
      'dynamodb:CreateTable': 1,
    });
    expect(cpuSeconds).toBeGreaterThan(0);
    expect(afterClose).toBe('refused');
  });

  it('rejects with the child output when the child exits before it listens', async () => {
    // Prepare: a folder without node_modules, where the child's `--import tsx` cannot resolve
    const elsewhere = mkdtempSync(join(tmpdir(), 'no-node-modules-'));

    // Act
    const started = startStorageStandIns({
      placement: 'child-process',
      cwd: elsewhere,
      s3Directory: join(directory, 's3-unused'),
      bucket: 'artifacts',
    });

    // Assess
    await expect(started).rejects.toThrow(/exited before listening \(code 1, signal none\)\n.*tsx/s);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
