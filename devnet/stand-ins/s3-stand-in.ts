import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';
import type { RunningStandIn } from './dynamodb-stand-in.js';
import { closeServer } from './listen-on-loopback.js';
import { S3MemoryStore } from './s3-memory-store.js';
import type { ServiceCallCounter } from './service-call-counter.js';

/**
 * Starts s3rver (S3 API) on loopback with its objects under `directory` and `bucket` created;
 * without `directory` the objects live in memory (`S3MemoryStore`).
 * Clients must use `forcePathStyle: true`; any access key id in `AWS_ACCESS_KEY_ID` is accepted.
 */
export async function startS3StandIn(options: {
  directory?: string;
  bucket: string;
  port?: number;
  counter?: ServiceCallCounter;
}): Promise<RunningStandIn> {
  if (options.directory !== undefined) mkdirSync(options.directory, { recursive: true });
  // s3rver knows one access key; the local run signs with whatever dummy key the environment holds.
  for (const accessKeyId of new Set(['local', process.env.AWS_ACCESS_KEY_ID ?? 'local'])) {
    DUMMY_ACCOUNT.createKeyPair(accessKeyId, process.env.AWS_SECRET_ACCESS_KEY ?? 'local');
  }
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    ...(options.directory === undefined ? {} : { directory: options.directory }),
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: options.bucket }],
  });
  if (options.directory === undefined) {
    // Before run(): it creates the configured bucket in the store.
    const store = new S3MemoryStore();
    s3rver.store = store;
    s3rver.context.store = store;
  }
  const address = await s3rver.run();
  if (options.counter !== undefined) options.counter.observe('s3', s3rver.httpServer);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => closeServer(s3rver.httpServer),
  };
}
