/**
 * How AWS Batch runs a pipeline job, shared by the CDK app (job definitions) and the Batch job
 * runner (SubmitJob overrides) so both ask Batch for the same timeout and retry behaviour.
 */

/** Seconds the Batch attempt timeout leaves beyond the prover's timeout, to stage input and upload output. */
export const BATCH_TIMEOUT_MARGIN_SECONDS = 60;

/** AWS Batch refuses attempt timeouts under 60 s. */
export const BATCH_MIN_TIMEOUT_SECONDS = 60;

/** Job queue, job definition and job names: letters, digits, - and _, at most 128, starting alphanumeric. */
export const BATCH_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** One `evaluateOnExit` rule of a Batch retry strategy. */
export interface BatchRetryRule {
  readonly action: 'RETRY' | 'EXIT';
  readonly onStatusReason?: string;
  readonly onReason?: string;
}

/**
 * The retry strategy's rules, in order: retry an attempt that never got a fair run — the host was
 * reclaimed (`Host EC2*`, as AWS documents for Spot), the image could not be pulled, the task's
 * resources (secrets, log stream, ENI) not initialised, the container not started — and exit on
 * anything else. Prover failures are left to the pipeline's group policy (retry, bisect or fail);
 * Batch retries at most the executor's `attempts` times.
 */
export const BATCH_RETRY_RULES: readonly BatchRetryRule[] = [
  { action: 'RETRY', onStatusReason: 'Host EC2*' },
  { action: 'RETRY', onStatusReason: 'CannotPullContainerError*' },
  { action: 'RETRY', onStatusReason: 'ResourceInitializationError*' },
  { action: 'RETRY', onStatusReason: 'CannotStartContainerError*' },
  { action: 'EXIT', onReason: '*' },
];

/**
 * Reasons a job queue's `jobStateTimeLimitActions` cancel a job that sat `RUNNABLE` at the head of
 * the queue (AWS Batch "Jobs stuck in a RUNNABLE status"): no Spot/on-demand capacity, every compute
 * environment's maxvCpus below the job's, no instance type the job fits. A job cancelled for one of
 * them never ran: an infrastructure failure, retried on the stage's on-demand-only queue.
 */
export const BATCH_RUNNABLE_CANCEL_REASONS = [
  'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE',
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
] as const;

/** The Batch attempt timeout of a job whose prover may run `proverTimeoutSeconds`. */
export function batchAttemptTimeoutSeconds(proverTimeoutSeconds: number): number {
  return Math.max(BATCH_MIN_TIMEOUT_SECONDS, proverTimeoutSeconds + BATCH_TIMEOUT_MARGIN_SECONDS);
}

/**
 * Prefixes of the Batch and ECS status / container reasons of an attempt that never got a fair run:
 * the image could not be pulled, the container not created or started, the host was reclaimed, the
 * container ran out of memory. Such failures are infrastructure failures for the pipeline's policy.
 */
export const BATCH_INFRASTRUCTURE_REASON_PREFIXES: readonly string[] = [
  'CannotPullContainerError',
  'CannotCreateContainerError',
  'CannotStartContainerError',
  'CannotInspectContainerError',
  'ResourceInitializationError',
  'DockerTimeoutError',
  'Host EC2',
  'Task failed to start',
  'OutOfMemoryError',
];

/** Container exit codes of an infrastructure failure: killed by SIGKILL (the OOM killer) or SIGTERM. */
export const BATCH_INFRASTRUCTURE_EXIT_CODES: readonly number[] = [137, 143];
