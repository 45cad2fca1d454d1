import { startDynamoDbStandIn } from './dynamodb-stand-in.js';
import { ForwardedCallCounter } from './forwarded-call-counter.js';
import { startS3StandIn } from './s3-stand-in.js';
import {
  CLOSE_STORAGE_STAND_INS,
  REPORT_CPU_USAGE,
  type StorageStandInsMessage,
  storageStandInsRequestSchema,
} from './storage-stand-ins-messages.js';

/**
 * The storage stand-ins' process (forked by `startStorageStandIns`): dynalite and s3rver, each on a
 * free loopback port, their requests counted and forwarded to the parent. Exits when the parent asks
 * (`CLOSE_STORAGE_STAND_INS`) or goes away (the IPC channel closes), so no orphan keeps the ports.
 */
/** Sends `message`; resolves once it is written (at once when the parent is gone). */
const send = (message: StorageStandInsMessage): Promise<void> =>
  new Promise((sent) => {
    if (process.send === undefined || !process.connected) sent();
    else process.send(message, undefined, {}, () => sent());
  });

async function main(): Promise<void> {
  const request = storageStandInsRequestSchema.parse(JSON.parse(process.argv[2] ?? 'null'));
  const counter = new ForwardedCallCounter((calls) => void send({ type: 'calls', calls }));
  const dynamodb = await startDynamoDbStandIn({
    ...(request.dynamodbDirectory === undefined ? {} : { directory: request.dynamodbDirectory }),
    counter,
  });
  const s3 = await startS3StandIn({
    ...(request.s3Directory === undefined ? {} : { directory: request.s3Directory }),
    bucket: request.bucket,
    counter,
  });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    counter.flush();
    await s3.close();
    await dynamodb.close();
    // IPC messages are written in order: once this one is, every forwarded count was too.
    await send({ type: 'closed' });
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === CLOSE_STORAGE_STAND_INS) void close();
    if (message === REPORT_CPU_USAGE) {
      const usage = process.cpuUsage();
      void send({ type: 'cpu', micros: usage.user + usage.system });
    }
  });
  process.once('disconnect', () => void close());
  await send({ type: 'ready', dynamodb: dynamodb.endpoint, s3: s3.endpoint });
}

main().catch(async (error: unknown) => {
  await send({ type: 'failed', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
