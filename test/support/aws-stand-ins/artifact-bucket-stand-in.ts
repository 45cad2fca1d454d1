import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3StandIn } from '../../../devnet/stand-ins/s3-stand-in.js';

/** s3rver knows one access key; every client (and child process) talking to it must sign with it. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface ArtifactBucketStandIn {
  readonly endpoint: string;
  readonly bucket: string;
  /** A path-style client for the stand-in, signing with s3rver's only key pair. */
  readonly client: S3Client;
  close(): Promise<void>;
}

/** Starts s3rver in-process in a temp directory on a free loopback port, with `bucket` created. */
export async function startArtifactBucketStandIn(
  bucket = 'pipeline-artifacts',
): Promise<ArtifactBucketStandIn> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const standIn = await startS3StandIn({ directory, bucket });
  const client = new S3Client({
    endpoint: standIn.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  return {
    endpoint: standIn.endpoint,
    bucket,
    client,
    close: async () => {
      client.destroy();
      await standIn.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
