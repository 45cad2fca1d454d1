import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.js';
import { InvalidInputError } from '../../../lambdas/core/errors.js';
import { jobInputKey, jobOutputKey } from '../../../lambdas/core/messages/blob-keys.js';
import {
  type ArtifactBucketStandIn,
  startArtifactBucketStandIn,
} from '../../support/aws-stand-ins/artifact-bucket-stand-in.js';

describe('S3BlobStore against s3rver', () => {
  let standIn: ArtifactBucketStandIn;
  let blobs: S3BlobStore;

  beforeAll(async () => {
    standIn = await startArtifactBucketStandIn('blob-store-test');
    blobs = new S3BlobStore({ client: standIn.client, bucket: standIn.bucket });
  });

  afterAll(async () => {
    await standIn.close();
  });

  it('round-trips bytes and reports existence', async () => {
    // Prepare
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    // Act
    await blobs.put('raw/a.bin', bytes);

    // Assess
    expect(await blobs.get('raw/a.bin')).toEqual(bytes);
    expect(await blobs.exists('raw/a.bin')).toBe(true);
    expect(await blobs.exists('raw/missing.bin')).toBe(false);
  });

  it('round-trips JSON under the deterministic keys and overwrites on a retried write', async () => {
    // Prepare
    const key = jobOutputKey('range', '100-130', 1);
    const request = { start: '100', end: '130', l1Head: `0x${'ab'.repeat(32)}` };

    // Act
    await blobs.putJson(jobInputKey('range', '100-130', 1), request);
    await blobs.putJson(key, { attempt: 1 });
    await blobs.putJson(key, { attempt: 1, retried: true });

    // Assess
    expect(await blobs.getJson(jobInputKey('range', '100-130', 1))).toEqual(request);
    expect(await blobs.getJson(key)).toEqual({ attempt: 1, retried: true });
  });

  it('returns undefined for a missing key', async () => {
    // Act / Assess
    expect(await blobs.get('nothing/here.json')).toBeUndefined();
    expect(await blobs.getJson('nothing/here.json')).toBeUndefined();
  });

  it('refuses a body that is not JSON, naming the key', async () => {
    // Prepare
    await blobs.put('broken.json', '{"half": ');

    // Act
    const read = blobs.getJson('broken.json');

    // Assess
    await expect(read).rejects.toBeInstanceOf(InvalidInputError);
    await expect(read).rejects.toThrow('s3://blob-store-test/broken.json');
  });
});
