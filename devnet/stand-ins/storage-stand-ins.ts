import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type RunningStandIn, startDynamoDbStandIn } from './dynamodb-stand-in.js';
import { startS3StandIn } from './s3-stand-in.js';
import type { ServiceCallCounter } from './service-call-counter.js';
import {
  CLOSE_STORAGE_STAND_INS,
  REPORT_CPU_USAGE,
  type StorageStandInsMessage,
  type StorageStandInsRequest,
  storageStandInsMessageSchema,
} from './storage-stand-ins-messages.js';

/**
 * Where dynalite and s3rver run. `in-process` (the local runtime's default): the caller's event
 * loop. `child-process`: their own process, as DynamoDB and S3 are remote services. Measured with
 * `bench:orchestrator` on 2 busy cores: the child takes ~40% of the caller's CPU off its loop
 * (blocks per CPU second 41 → 57) but each call then waits for the other process to be scheduled,
 * so a serial chain of calls got slower (blocks per second 24-34 → 21-22); it pays where many
 * calls are in flight at once, not on one chain. Measured again with the stand-ins in memory
 * (`persistence: 'memory'`): this process's CPU per call 1.5-2.1 → 1.0-1.3 ms (+ 0.7-1.0 in the
 * child), blocks per second 79 against 108 in process at 300 blocks, 93 against 80 at 1000 (medians
 * of 3 on a shared machine; single runs 27-178). Measured once more after 300 warm-up blocks (2 cores
 * shared with other work): 203-207 in the child against 177-187 in process, so `bench:orchestrator`
 * now defaults to the child; `npm start` keeps them in process (one process fewer to start and stop).
 */
export type StorageStandInsPlacement = 'child-process' | 'in-process';

export interface StorageStandInsOptions extends StorageStandInsRequest {
  readonly placement: StorageStandInsPlacement;
  /** Folder the child runs in (its `--import tsx` resolves from there): the repository root. */
  readonly cwd: string;
  /** Counts every request either stand-in receives (replayed from the child's forwarded calls). */
  readonly counter?: ServiceCallCounter;
  /** Where a child that exits while still in use is reported. @default stderr */
  readonly onLog?: (line: string) => void;
  /** How long the child may take to listen. @default 30000 */
  readonly startTimeoutMs?: number;
}

/** dynalite and s3rver, running. */
export interface StorageStandIns {
  /** Base URLs for `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL_S3`. */
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  /**
   * CPU seconds (user + system) the stand-ins' own process has used so far; `undefined` in process
   * (their CPU is then the caller's).
   */
  cpuSeconds(): Promise<number | undefined>;
  close(): Promise<void>;
}

const CHILD_ENTRY = fileURLToPath(new URL('./storage-stand-ins-process.ts', import.meta.url));
/** The child's output kept for error messages (its last characters). */
const OUTPUT_TAIL_CHARS = 4000;

/** Starts dynalite (state table) and s3rver (artifact bucket) where `options.placement` says. */
export async function startStorageStandIns(options: StorageStandInsOptions): Promise<StorageStandIns> {
  const { dynamodbDirectory, s3Directory, bucket, counter } = options;
  if (options.placement === 'in-process') {
    const dynamodb = await startDynamoDbStandIn({
      ...(dynamodbDirectory === undefined ? {} : { directory: dynamodbDirectory }),
      ...(counter === undefined ? {} : { counter }),
    });
    const s3 = await startS3StandIn({
      ...(s3Directory === undefined ? {} : { directory: s3Directory }),
      bucket,
      ...(counter === undefined ? {} : { counter }),
    }).catch(async (error: unknown) => {
      await dynamodb.close();
      throw error;
    });
    const standIns: RunningStandIn[] = [s3, dynamodb];
    return {
      endpoints: { dynamodb: dynamodb.endpoint, s3: s3.endpoint },
      cpuSeconds: async () => undefined,
      close: async () => {
        for (const standIn of standIns) await standIn.close();
      },
    };
  }
  const request: StorageStandInsRequest = {
    ...(dynamodbDirectory === undefined ? {} : { dynamodbDirectory }),
    ...(s3Directory === undefined ? {} : { s3Directory }),
    bucket,
  };
  return startChild(options, request);
}

async function startChild(
  options: StorageStandInsOptions,
  request: StorageStandInsRequest,
): Promise<StorageStandIns> {
  const log = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const child: ChildProcess = fork(CHILD_ENTRY, [JSON.stringify(request)], {
    cwd: options.cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let closing = false;
  let listening = false;
  /** Callers waiting for the child's CPU figure, in the order they asked. */
  const cpuAnswers: ((seconds: number | undefined) => void)[] = [];
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<{ dynamodb: string; s3: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `storage stand-ins (dynalite, s3rver): no "ready" within ${options.startTimeoutMs ?? 30000} ms\n${output.trim()}`,
        ),
      );
    }, options.startTimeoutMs ?? 30000);
    child.on('message', (raw) => {
      const parsed = storageStandInsMessageSchema.safeParse(raw);
      if (!parsed.success) {
        log(`storage stand-ins: ignored a malformed message from the child: ${parsed.error.message}`);
        return;
      }
      const message: StorageStandInsMessage = parsed.data;
      if (message.type === 'calls') {
        for (const [service, operation, caller] of message.calls)
          options.counter?.record(service, operation, caller);
      } else if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ dynamodb: message.dynamodb, s3: message.s3 });
      } else if (message.type === 'cpu') {
        cpuAnswers.shift()?.(message.micros / 1e6);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`storage stand-ins (dynalite, s3rver) failed to start: ${message.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      for (const answer of cpuAnswers.splice(0)) answer(undefined);
      const how = `code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      reject(
        new Error(`storage stand-ins (dynalite, s3rver) exited before listening (${how})\n${output.trim()}`),
      );
      if (listening && !closing)
        log(`storage stand-ins (dynalite, s3rver) exited while in use (${how})\n${output.trim()}`);
    });
  });
  const close = async (): Promise<void> => {
    closing = true;
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send(CLOSE_STORAGE_STAND_INS);
      else child.kill('SIGTERM');
    }
    await exited;
  };
  try {
    const endpoints = await ready;
    listening = true;
    const cpuSeconds = (): Promise<number | undefined> =>
      new Promise((answered) => {
        if (!child.connected) return answered(undefined);
        cpuAnswers.push(answered);
        child.send(REPORT_CPU_USAGE);
      });
    return { endpoints, cpuSeconds, close };
  } catch (error) {
    await close();
    throw error;
  }
}
