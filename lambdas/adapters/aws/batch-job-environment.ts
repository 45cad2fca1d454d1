/**
 * SubmitJob `parameters`, set by the Batch job runner and echoed in the job state change event's
 * `detail.parameters` (read back by the job-state handler).
 */
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
