import { jobFailureKey } from '../lambdas/adapters/aws/batch-job-environment.js';
import { redactUrlsInText } from '../lambdas/chain/redact-rpc-urls.js';
import { JOB_ENV } from '../lambdas/core/config/environment-names.js';
import { PipelineError } from '../lambdas/core/errors.js';
import {
  ExecutorExitError,
  ExecutorFailure,
  ExecutorSpawnError,
} from '../lambdas/core/executor/executor-errors.js';
import {
  CONFIGURATION_EXIT_CODE,
  type FailureClass,
  INFRASTRUCTURE_EXIT_CODE,
} from '../lambdas/core/executor/failure-class.js';
import type { BlobStore } from '../lambdas/core/ports/blob-store.js';
import type { Logger } from '../lambdas/core/ports/telemetry.js';
import { runExecutorProcess } from './executor/run-executor-process.js';
import type { JobDescription } from './job-description.js';
import { proverCommand } from './prover-command.js';

/** Process exit codes of the job entrypoint. */
export const JOB_EXIT = {
  succeeded: 0,
  failed: 1,
  invalidJob: 2,
  /** Staging, a prover that could not start, or an RPC outage the prover reported: retried apart. */
  infrastructure: INFRASTRUCTURE_EXIT_CODE,
  /** The prover command is not on the job's PATH or not executable: the group is abandoned at once. */
  configuration: CONFIGURATION_EXIT_CODE,
  /** 128 + SIGTERM: the container was stopped (Spot reclaim, job cancelled); Batch may retry it. */
  interrupted: 143,
} as const;

/** The object `JOB_INPUT_KEY` names is not in the artifact bucket: the attempt fails while staging. */
export class JobInputMissingError extends PipelineError {
  override readonly name: string = 'JobInputMissingError';
  constructor(job: Pick<JobDescription, 'bucket' | 'inputKey' | 'groupId' | 'attempt'>) {
    super(`job input s3://${job.bucket}/${job.inputKey} (${JOB_ENV.inputKey}) does not exist`, {
      details: `group ${job.groupId} attempt ${job.attempt}: the job runner uploads the input before SubmitJob; check ${JOB_ENV.inputKey} and ${JOB_ENV.bucket}`,
    });
  }
}

/** Seconds between SIGTERM and SIGKILL for the prover; ECS gives the container 30 s after its own SIGTERM. */
const PROVER_KILL_GRACE_MS = 10_000;

/** Written beside the output when an attempt fails, for the job-state handler and the operator. */
export interface JobFailureDocument {
  readonly version: 1;
  readonly stage: string;
  readonly groupId: string;
  readonly attempt: number;
  readonly kind: string;
  /** Whose fault it was: the job-state handler passes it to the failure policy. */
  readonly failureClass: FailureClass;
  readonly message: string;
  readonly stderrTail: string;
  readonly interrupted: boolean;
  readonly failedAt: string;
}

export interface RunBatchJobOptions {
  readonly job: JobDescription;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  /** Aborted on SIGTERM: the prover is stopped and the attempt fails as interrupted. */
  readonly signal: AbortSignal;
  /** Environment of the prover (RPC URLs among it). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One Batch job attempt: stage the input from the artifact bucket, run the prover under the JSON
 * contract, upload its output to `outputKey` (or a failure document with the stderr tail to
 * `failure.json` beside it). Returns the process exit code.
 */
export async function runBatchJob(options: RunBatchJobOptions): Promise<number> {
  const { job, blobs, logger, signal } = options;
  let stderrTail = '';
  try {
    const input = await blobs.getJson(job.inputKey);
    if (input === undefined) throw new JobInputMissingError(job);
    const argv = proverCommand(job);
    logger.info('prover starting', { argv, inputKey: job.inputKey, timeoutSeconds: job.timeoutSeconds });
    const run = await runExecutorProcess({
      argv,
      program: job.program,
      input,
      timeoutMs: job.timeoutSeconds * 1000,
      killGraceMs: PROVER_KILL_GRACE_MS,
      env: options.env,
      signal,
      forwardOutput: true,
    });
    stderrTail = run.stderrTail;
    await blobs.putJson(job.outputKey, run.raw);
    logger.info('job succeeded', {
      outputKey: job.outputKey,
      results: run.results.length,
      durationSeconds: run.durationMs / 1000,
    });
    return JOB_EXIT.succeeded;
  } catch (error) {
    if (error instanceof ExecutorFailure) stderrTail = error.stderrTail;
    const interrupted = signal.aborted;
    const failureClass = interrupted ? 'infrastructure' : failureClassOf(error);
    const failure: JobFailureDocument = {
      version: 1,
      stage: job.stage,
      groupId: job.groupId,
      attempt: job.attempt,
      kind: interrupted ? 'interrupted' : error instanceof ExecutorFailure ? error.kind : 'staging',
      failureClass,
      // RPC URLs (proxyd endpoints can carry API keys) never leave the job in a message or a log line.
      message: redactUrlsInText(
        interrupted ? `interrupted by SIGTERM: ${(error as Error).message}` : (error as Error).message,
      ),
      stderrTail: redactUrlsInText(stderrTail),
      interrupted,
      failedAt: new Date().toISOString(),
    };
    const failureKey = jobFailureKey(job.outputKey);
    logger.error('job failed', { failureKey, kind: failure.kind, error });
    try {
      await blobs.putJson(failureKey, failure);
    } catch (uploadError) {
      logger.error('could not upload the failure document', { failureKey, error: uploadError });
    }
    if (interrupted) return JOB_EXIT.interrupted;
    return JOB_EXIT_OF_CLASS[failureClass];
  }
}

const JOB_EXIT_OF_CLASS: Record<FailureClass, number> = {
  prover: JOB_EXIT.failed,
  infrastructure: JOB_EXIT.infrastructure,
  configuration: JOB_EXIT.configuration,
};

/**
 * A prover command that is not on the job's PATH (or not executable) is a configuration error: no
 * retry can start it. An attempt that failed while staging (S3), whose prover could not be started
 * for another reason, or whose prover exited with the infrastructure code (an RPC outage) never got
 * a fair run; anything the prover did after running (exit 1, a hang past its timeout, a missing or
 * invalid output) is a prover failure.
 */
function failureClassOf(error: unknown): FailureClass {
  if (!(error instanceof ExecutorFailure)) return 'infrastructure';
  if (error instanceof ExecutorSpawnError && error.commandUnusable) return 'configuration';
  if (error.kind === 'spawn') return 'infrastructure';
  if (error instanceof ExecutorExitError && error.exitCode === INFRASTRUCTURE_EXIT_CODE)
    return 'infrastructure';
  return 'prover';
}
