import { z } from 'zod';

/** What the parent asks the storage stand-ins' process to start (its one command-line argument, JSON). */
export const storageStandInsRequestSchema = z.object({
  /** dynalite's LevelDB folder; absent: in memory. */
  dynamodbDirectory: z.string().min(1).optional(),
  /** s3rver's folder; absent: in memory (`S3MemoryStore`). */
  s3Directory: z.string().min(1).optional(),
  bucket: z.string().min(1),
});
export type StorageStandInsRequest = z.infer<typeof storageStandInsRequestSchema>;

/** One request a stand-in received: `[service, operation, caller]`, replayed into the parent's counter. */
const recordedCallSchema = z.tuple([z.enum(['dynamodb', 's3']), z.string(), z.string()]);
export type RecordedCall = z.infer<typeof recordedCallSchema>;

/** The messages the storage stand-ins' process sends its parent over the IPC channel. */
export const storageStandInsMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), dynamodb: z.string().url(), s3: z.string().url() }),
  z.object({ type: z.literal('calls'), calls: z.array(recordedCallSchema) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('closed') }),
  /** The answer to `REPORT_CPU_USAGE`: the process's CPU microseconds so far (user + system). */
  z.object({ type: z.literal('cpu'), micros: z.number().nonnegative() }),
]);
export type StorageStandInsMessage = z.infer<typeof storageStandInsMessageSchema>;

/** The parent's message: close the servers and exit. */
export const CLOSE_STORAGE_STAND_INS = 'close';
/** The parent's message: answer with a `cpu` message. */
export const REPORT_CPU_USAGE = 'cpu';
