import { batchAttemptTimeoutSeconds } from '../../lambdas/core/config/batch-job-settings.js';

/** The longest `UpdatePolicy.JobExecutionTimeoutMinutes` AWS Batch accepts. */
export const MAX_UPDATE_TIMEOUT_MINUTES = 360;

/** Minutes a compute-environment update waits beyond the longest job attempt (the job's teardown, upload). */
export const UPDATE_TIMEOUT_MARGIN_MINUTES = 10;

/** How many compute environments each Batch stage gets: a Spot one and/or an on-demand one. */
export function environmentsPerStage(capacity: {
  readonly spot: boolean;
  readonly onDemand: boolean;
}): number {
  return (capacity.spot ? 1 : 0) + (capacity.onDemand ? 1 : 0);
}

/**
 * The `maxvCpus` of each compute environment when `aws.maxVcpus` is the total across all of them
 * (the account's GPU vCPU quotas must cover the total): an equal whole share, rounded down, so the
 * environments together never launch more than the total.
 *
 * @example maxVcpusPerEnvironment(256, 4) // 64 (two stages, Spot and on-demand each)
 */
export function maxVcpusPerEnvironment(totalVcpus: number, environmentCount: number): number {
  if (environmentCount < 1) return totalVcpus;
  return Math.floor(totalVcpus / environmentCount);
}

/**
 * `UpdatePolicy.JobExecutionTimeoutMinutes` of a stage's compute environments: a running attempt
 * (the prover's timeout plus the Batch margin) may finish before an infrastructure update replaces
 * its instance, plus `UPDATE_TIMEOUT_MARGIN_MINUTES`, at most `MAX_UPDATE_TIMEOUT_MINUTES`.
 */
export function updateTimeoutMinutes(proverTimeoutSeconds: number): number {
  const attemptMinutes = Math.ceil(batchAttemptTimeoutSeconds(proverTimeoutSeconds) / 60);
  return Math.min(MAX_UPDATE_TIMEOUT_MINUTES, attemptMinutes + UPDATE_TIMEOUT_MARGIN_MINUTES);
}
