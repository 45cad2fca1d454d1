import {
  BATCH_INFRASTRUCTURE_EXIT_CODES,
  BATCH_INFRASTRUCTURE_REASON_PREFIXES,
  BATCH_RUNNABLE_CANCEL_REASONS,
} from '../../core/config/batch-job-settings.js';
import {
  CONFIGURATION_EXIT_CODE,
  type FailureClass,
  INFRASTRUCTURE_EXIT_CODE,
} from '../../core/executor/failure-class.js';

/**
 * The failure class of a failed Batch attempt from what Batch reports: a status or container reason
 * of an attempt that never got a fair run (image pull, container start, host reclaimed, out of
 * memory), a job queue's RUNNABLE time limit (the reason may come with Batch's explanation around
 * it, so it is looked for anywhere in the text), or the infrastructure exit codes (75 from our
 * entrypoint, 137, 143); our entrypoint's configuration exit code (78: the prover command is not on
 * the job's PATH), else a prover failure.
 */
export function batchFailureClass(reasons: readonly string[], exitCode: number | undefined): FailureClass {
  if (
    reasons.some((reason) => BATCH_INFRASTRUCTURE_REASON_PREFIXES.some((prefix) => reason.startsWith(prefix)))
  )
    return 'infrastructure';
  if (reasons.some((reason) => BATCH_RUNNABLE_CANCEL_REASONS.some((cancel) => reason.includes(cancel))))
    return 'infrastructure';
  if (
    exitCode === INFRASTRUCTURE_EXIT_CODE ||
    (exitCode !== undefined && BATCH_INFRASTRUCTURE_EXIT_CODES.includes(exitCode))
  )
    return 'infrastructure';
  if (exitCode === CONFIGURATION_EXIT_CODE) return 'configuration';
  return 'prover';
}
