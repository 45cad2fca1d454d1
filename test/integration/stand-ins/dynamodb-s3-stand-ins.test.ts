import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ensureStateTable, startDynamoDbStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { startS3StandIn } from '../../../devnet/stand-ins/s3-stand-in.js';
import { ServiceCallCounter } from '../../../devnet/stand-ins/service-call-counter.js';

describe('DynamoDB and S3 stand-ins', () => {
  it('create the state table with its GSI, store objects, keep both across a restart and count calls', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'stand-ins-'));
    const counter = new ServiceCallCounter();
    const dynamo = await startDynamoDbStandIn({ directory: join(directory, 'dynamodb'), counter });
    const s3 = await startS3StandIn({ directory: join(directory, 's3'), bucket: 'artifacts', counter });
    const s3Client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true });

    // Act
    await ensureStateTable(dynamo.endpoint, 'state');
    await ensureStateTable(dynamo.endpoint, 'state');
    await s3Client.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'blocks/1.json', Body: '{"n":1}' }));
    s3Client.destroy();
    await dynamo.close();
    await s3.close();
    const dynamoAgain = await startDynamoDbStandIn({ directory: join(directory, 'dynamodb') });
    const s3Again = await startS3StandIn({ directory: join(directory, 's3'), bucket: 'artifacts' });
    const dynamoClient = new DynamoDBClient({ endpoint: dynamoAgain.endpoint });
    const s3ClientAgain = new S3Client({ endpoint: s3Again.endpoint, forcePathStyle: true });
    const table = await dynamoClient.send(new DescribeTableCommand({ TableName: 'state' }));
    const object = await s3ClientAgain.send(
      new GetObjectCommand({ Bucket: 'artifacts', Key: 'blocks/1.json' }),
    );
    const body = await object.Body?.transformToString();
    dynamoClient.destroy();
    s3ClientAgain.destroy();
    await dynamoAgain.close();
    await s3Again.close();

    // Assess
    expect(table.Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byKindStatus');
    expect(body).toBe('{"n":1}');
    expect(counter.snapshot().byOperation).toMatchObject({
      'dynamodb:DescribeTable': 2,
      'dynamodb:CreateTable': 1,
      's3:PUTObject': 1,
    });
  });
});
