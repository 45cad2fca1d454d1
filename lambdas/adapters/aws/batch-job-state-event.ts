import * as z from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { JobCompletion } from '../../core/orchestrator/group/job-completion.js';
import { describeIssues } from '../../core/schema/schema-issues.js';
import { batchFailureClass } from './batch-failure-class.js';
import { JOB_PARAMETER } from './batch-job-environment.js';

const epochMillis = z.number().int().nonnegative();

const containerDetailSchema = z.object({
  exitCode: z.number().int().optional(),
  reason: z.string().optional(),
  logStreamName: z.string().optional(),
});

/**
 * The "Batch Job State Change" EventBridge event as AWS documents it (only the fields used here;
 * others are accepted and ignored). Timestamps are epoch milliseconds.
 */
const batchJobStateChangeEventSchema = z.object({
  'detail-type': z.literal('Batch Job State Change'),
  source: z.literal('aws.batch'),
  time: z.string().optional(),
  detail: z.object({
    jobName: z.string().min(1),
    jobId: z.string().min(1),
    jobQueue: z.string().min(1),
    status: z.enum(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED']),
    statusReason: z.string().optional(),
    attempts: z
      .array(
        z.object({
          container: containerDetailSchema.optional(),
          startedAt: epochMillis.optional(),
          stoppedAt: epochMillis.optional(),
          statusReason: z.string().optional(),
        }),
      )
      .default([]),
    parameters: z.record(z.string(), z.string()).default({}),
    container: containerDetailSchema.optional(),
    createdAt: epochMillis.optional(),
    startedAt: epochMillis.optional(),
    stoppedAt: epochMillis.optional(),
  }),
});

export type BatchJobStateChangeEvent = z.output<typeof batchJobStateChangeEventSchema>;

/** A finished Batch job, in the shape the core's `finishJob` takes (plus Batch facts for logs). */
export interface BatchJobOutcome extends JobCompletion {
  readonly jobId: string;
  readonly exitCode?: number;
  readonly outputKey?: string;
  readonly logStreamName?: string;
}

/** An event the pipeline does not apply, and why: a job still on its way, or a job of another queue. */
export interface IgnoredBatchJobEvent {
  readonly ignored: 'not-finished' | 'foreign-job-queue';
  readonly jobName: string;
  readonly jobQueue: string;
  readonly status: BatchJobStateChangeEvent['detail']['status'];
}

const JOB_NAME_SHAPE = /^(.+)-(0|[1-9]\d*)-(0|[1-9]\d*)-a([1-9]\d*)$/;

/**
 * Parses a "Batch Job State Change" event. Events of a job queue that is not one of
 * `ownJobQueues` (names, as `BATCH_JOB_TARGETS` holds them; the event carries the queue's ARN) are
 * ignored before anything else is read from them: another application's job may well be named like
 * ours. The non-terminal statuses (SUBMITTED … RUNNING) are ignored too. Stage, group and attempt
 * come from the job's `parameters` (set by the Batch job runner), falling back to the job name
 * `<stage>-<start>-<end>-a<attempt>`.
 * @throws InvalidInputError naming the field when the event is not of that shape.
 */
export function parseBatchJobStateChange(
  event: unknown,
  ownJobQueues: ReadonlySet<string>,
): BatchJobOutcome | IgnoredBatchJobEvent {
  const parsed = batchJobStateChangeEventSchema.safeParse(event);
  if (!parsed.success)
    throw new InvalidInputError('Batch Job State Change event', describeIssues(parsed.error, event));
  const { detail } = parsed.data;
  const ignored = (why: IgnoredBatchJobEvent['ignored']): IgnoredBatchJobEvent => ({
    ignored: why,
    jobName: detail.jobName,
    jobQueue: detail.jobQueue,
    status: detail.status,
  });
  if (!ownJobQueues.has(jobQueueName(detail.jobQueue))) return ignored('foreign-job-queue');
  if (detail.status !== 'SUCCEEDED' && detail.status !== 'FAILED') return ignored('not-finished');

  const identity = jobIdentity(detail.jobName, detail.parameters);
  const lastAttempt = detail.attempts.at(-1);
  const container = detail.container ?? lastAttempt?.container;
  const startedAt = detail.startedAt ?? lastAttempt?.startedAt;
  const stoppedAt = detail.stoppedAt ?? lastAttempt?.stoppedAt;
  const exitCode = container?.exitCode;
  const reasons = [detail.statusReason ?? lastAttempt?.statusReason, container?.reason].filter(
    (r): r is string => r !== undefined && r !== '',
  );
  if (detail.status === 'FAILED' && exitCode !== undefined) reasons.push(`exit code ${exitCode}`);
  const outputKey = detail.parameters[JOB_PARAMETER.outputKey];
  const logStreamName = container?.logStreamName;

  return {
    ...identity,
    jobName: detail.jobName,
    jobId: detail.jobId,
    status: detail.status,
    ...(detail.status === 'FAILED' && reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    ...(detail.status === 'FAILED' ? { failureClass: batchFailureClass(reasons, exitCode) } : {}),
    ...(startedAt !== undefined && stoppedAt !== undefined && stoppedAt >= startedAt
      ? { durationSeconds: (stoppedAt - startedAt) / 1000 }
      : {}),
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(outputKey === undefined ? {} : { outputKey }),
    ...(logStreamName === undefined ? {} : { logStreamName }),
  };
}

/** The queue name of a job queue ARN (`arn:aws:batch:<region>:<account>:job-queue/<name>`), or the name itself. */
function jobQueueName(jobQueue: string): string {
  const marker = ':job-queue/';
  const at = jobQueue.indexOf(marker);
  return at === -1 ? jobQueue : jobQueue.slice(at + marker.length);
}

function jobIdentity(
  jobName: string,
  parameters: Readonly<Record<string, string>>,
): { stage: string; groupId: string; attempt: number } {
  const stage = parameters[JOB_PARAMETER.stage];
  const groupId = parameters[JOB_PARAMETER.groupId];
  const attempt = parameters[JOB_PARAMETER.attempt];
  if (stage !== undefined && groupId !== undefined && attempt !== undefined && /^[1-9]\d*$/.test(attempt)) {
    return { stage, groupId, attempt: Number(attempt) };
  }
  const match = JOB_NAME_SHAPE.exec(jobName);
  if (match === null) {
    throw new InvalidInputError('Batch Job State Change event', [
      `detail.parameters: expected stage, groupId and attempt, or a job name "<stage>-<start>-<end>-a<attempt>" (got ${JSON.stringify(jobName)})`,
    ]);
  }
  const [, name, start, end, n] = match as unknown as [string, string, string, string, string];
  return { stage: name, groupId: `${name}/${start}-${end}`, attempt: Number(n) };
}
