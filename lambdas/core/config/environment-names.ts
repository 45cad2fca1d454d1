/**
 * Environment variable names shared by the CDK app (which sets them), the handlers and Batch jobs
 * (which read them) and the devnet (which sets them locally). Names only: readers live beside their
 * runtime (`lambdas/handlers/handler-environment.ts`, `batch-jobs/job-description.ts`).
 */

/**
 * Environment variables of the Lambda handlers. The CDK app sets them on AWS; the local runtime sets
 * the same names (with `PIPELINE_CONFIG_PATH` instead of `PIPELINE_CONFIG_JSON`). Local stand-ins are
 * reached through the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */
export const HANDLER_ENV = {
  /** The minified runtime pipeline config (AWS). */
  configJson: 'PIPELINE_CONFIG_JSON',
  /** A pipeline config file (local runs); used when `PIPELINE_CONFIG_JSON` is absent. */
  configPath: 'PIPELINE_CONFIG_PATH',
  stateTableName: 'STATE_TABLE_NAME',
  artifactBucketName: 'ARTIFACT_BUCKET_NAME',
  /** JSON `{ "<topic>": "<queue url>" }`. */
  topicQueueUrls: 'TOPIC_QUEUE_URLS',
  /** JSON `{ "<stage>": { "jobQueue": "…", "jobDefinition": "…" } }`. */
  batchJobTargets: 'BATCH_JOB_TARGETS',
  /** `0x` + sha256 of the rollup config file, as the programs commit it. */
  rollupConfigHash: 'ROLLUP_CONFIG_HASH',
  /** KMS key id/ARN/alias of the proposer's signer (signer kind `kms`). */
  proposerKmsKeyId: 'PROPOSER_KMS_KEY_ID',
  /** Name of the proposer function the dispatcher wakes; absent → the proposer runs on its schedule only. */
  proposerFunctionName: 'PROPOSER_FUNCTION_NAME',
} as const;

/** One of the handler environment variable names. */
export type HandlerEnvName = (typeof HANDLER_ENV)[keyof typeof HANDLER_ENV];

/**
 * Environment of a Batch job: the contract between the Batch job runner (which sets these on
 * SubmitJob), the CDK app (which sets the bucket and RPC secrets on the job definition) and the job
 * entrypoint (`batch-jobs/entrypoint.ts`, which reads them).
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
  /** L1 beacon API URL for a real prover (blobs), named as op-succinct reads it. */
  l1BeaconRpc: 'L1_BEACON_RPC',
  /** L2 rollup-node RPC URL for a real prover (`optimism_*` methods), named as op-succinct reads it. */
  l2NodeRpc: 'L2_NODE_RPC',
} as const;

/** Environment variable with the rollup config file, read by the provers in the job image. */
export const ROLLUP_CONFIG_PATH_ENV = 'ROLLUP_CONFIG_PATH';
