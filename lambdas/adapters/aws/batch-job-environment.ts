/**
 * The contract between the Batch job runner (which sets these on SubmitJob) and the job
 * entrypoint (`batch-jobs/entrypoint.ts`, which reads them), and the job-state handler (which reads
 * the parameters back from the "Batch Job State Change" event).
 */
export const JOB_ENV = {
  stage: 'JOB_STAGE',
  groupId: 'JOB_GROUP_ID',
  attempt: 'JOB_ATTEMPT',
  program: 'JOB_PROGRAM',
  inputKey: 'JOB_INPUT_KEY',
  outputKey: 'JOB_OUTPUT_KEY',
  bucket: 'ARTIFACT_BUCKET_NAME',
  /** JSON argv of the prover; absent → the repo's mock prover for JOB_PROGRAM. */
  proverCommand: 'PROVER_COMMAND',
  /** Seconds before the entrypoint stops the prover (a little under the Batch attempt timeout). */
  timeoutSeconds: 'JOB_TIMEOUT_SECONDS',
  l1RpcUrls: 'L1_RPC_URLS',
  l2RpcUrls: 'L2_RPC_URLS',
} as const;

/** Environment variable with the rollup config file, read by the provers in the job image. */
export const ROLLUP_CONFIG_PATH_ENV = 'ROLLUP_CONFIG_PATH';

/** SubmitJob `parameters`, echoed in the job state change event's `detail.parameters`. */
export const JOB_PARAMETER = {
  stage: 'stage',
  groupId: 'groupId',
  attempt: 'attempt',
  inputKey: 'inputKey',
  outputKey: 'outputKey',
} as const;

/**
 * Where the entrypoint writes the failure document (exit code, reason, stderr tail) of a failed
 * attempt: beside the output, e.g. `jobs/range/100-130/a1/failure.json`.
 */
export function jobFailureKey(outputKey: string): string {
  const slash = outputKey.lastIndexOf('/');
  return `${slash < 0 ? '' : outputKey.slice(0, slash + 1)}failure.json`;
}
