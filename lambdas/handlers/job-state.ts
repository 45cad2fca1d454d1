import type { EventBridgeEvent } from 'aws-lambda';
import { jobFailureKey } from '../adapters/aws/batch-job-environment.js';
import { type BatchJobOutcome, parseBatchJobStateChange } from '../adapters/aws/batch-job-state-event.js';
import { InvalidInputError } from '../core/errors.js';
import type { FailureClass } from '../core/executor/failure-class.js';
import { finishJob } from '../core/orchestrator/group/finish-job.js';
import { GroupRepository } from '../core/orchestrator/group/group-repository.js';
import type { CompletionOutcome, JobCompletion } from '../core/orchestrator/group/job-completion.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { Logger } from '../core/ports/telemetry.js';
import { coldStartJobStateRuntime, type JobStateRuntime } from './job-state-root.js';
import { wrapLambdaHandler } from './lambda-middleware.js';

export interface JobStateResult {
  /** `ignored` also for the non-terminal statuses (SUBMITTED … RUNNING). */
  readonly outcome: CompletionOutcome;
  readonly jobName: string;
}

/**
 * The job-state handler (EventBridge rule on "Batch Job State Change", SUCCEEDED and FAILED): turns
 * the event into a job completion (with the stderr tail of the attempt's failure document) and lets
 * the core apply it: validate the output and publish the next topic's messages, or retry, bisect
 * or abandon the group. An event of a job queue that is not one of this pipeline's is logged and
 * ignored before any state is read (the rule filters on our queues, but a job named like ours on
 * another queue must never move our groups). A malformed event throws, so the asynchronous
 * invocation is retried and then lands in the function's failure destination.
 */
export function createJobStateHandler(runtime: () => JobStateRuntime) {
  return wrapLambdaHandler(async (event: EventBridgeEvent<string, unknown>): Promise<JobStateResult> => {
    const { logger, jobQueueNames } = runtime();
    const parsed = parseBatchJobStateChange(event, jobQueueNames());
    if ('ignored' in parsed) {
      // Our own jobs' non-terminal states are routine; another queue's event reaching us means the rule or
      // the queue list is off, so it gets one line.
      if (parsed.ignored === 'foreign-job-queue') {
        logger.warn('job state event of another job queue ignored', {
          jobName: parsed.jobName,
          jobQueue: parsed.jobQueue,
          status: parsed.status,
          ownJobQueues: [...jobQueueNames()],
        });
      }
      return { outcome: 'ignored', jobName: parsed.jobName };
    }
    const outcome = await applyJobOutcome(runtime().orchestrator(), logger, parsed);
    return { outcome, jobName: parsed.jobName };
  });
}

export const handler = createJobStateHandler(coldStartJobStateRuntime);

/**
 * What the handler does with a finished job of ours (also `npm run ops -- events replay --job`):
 * adds the stderr tail and failure class of the attempt's failure document, applies the completion
 * (`finishJob`: a duplicate or a stale attempt is `ignored`) and logs the outcome.
 */
export async function applyJobOutcome(
  deps: OrchestratorDeps,
  logger: Logger,
  parsed: BatchJobOutcome,
): Promise<CompletionOutcome> {
  const { jobId, exitCode, outputKey, logStreamName, ...base } = parsed;
  const failure =
    parsed.status === 'FAILED'
      ? await readFailureDocument(
          deps.blobs,
          logger,
          outputKey ?? (await storedOutputKey(deps.store, parsed)),
        )
      : {};
  // The entrypoint's own account of the attempt wins over what Batch could tell from outside.
  const completion: JobCompletion = { ...base, ...failure };
  const outcome = await finishJob(deps, completion);
  logger.info('job completion applied', {
    jobName: parsed.jobName,
    jobId,
    groupId: parsed.groupId,
    attempt: parsed.attempt,
    status: parsed.status,
    outcome,
    ...(parsed.reason === undefined ? {} : { reason: parsed.reason }),
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(logStreamName === undefined ? {} : { logStreamName }),
  });
  return outcome;
}

/**
 * The stderr tail and failure class the entrypoint kept in the attempt's failure document, if it
 * wrote one. A corrupt document (not JSON) is logged and skipped: it is a diagnostic, and the
 * completion (retry, bisect, abandon) must be applied without it rather than fail on every redelivery.
 */
async function readFailureDocument(
  blobs: BlobStore,
  logger: Logger,
  outputKey: string | undefined,
): Promise<{ stderrTail?: string; failureClass?: FailureClass }> {
  if (outputKey === undefined) return {};
  const failureKey = jobFailureKey(outputKey);
  let failure: unknown;
  try {
    failure = await blobs.getJson(failureKey);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    logger.warn('job failure document is corrupt; completion applied without the stderr tail', {
      failureKey,
      issues: error.issues,
    });
    return {};
  }
  if (failure === null || typeof failure !== 'object') return {};
  const { stderrTail: tail, failureClass } = failure as { stderrTail?: unknown; failureClass?: unknown };
  return {
    ...(typeof tail === 'string' && tail !== '' ? { stderrTail: tail } : {}),
    ...(failureClass === 'prover' || failureClass === 'infrastructure' || failureClass === 'configuration'
      ? { failureClass }
      : {}),
  };
}

/** The output key the group recorded for the attempt's job, when the event did not carry it. */
async function storedOutputKey(store: StateStore, completion: JobCompletion): Promise<string | undefined> {
  const group = await new GroupRepository(store).get(completion.groupId);
  if (group === undefined || group.attempt !== completion.attempt || !('job' in group)) return undefined;
  return group.job?.outputKey;
}
