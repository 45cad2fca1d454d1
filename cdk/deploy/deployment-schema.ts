import { z } from 'zod';
import type { DeploymentExecutorField } from '../../lambdas/core/config/config-file-layers.js';
import { positiveInt } from '../../lambdas/core/schema/primitives.js';

/**
 * `aws.proverEndpoints`: SSM SecureString parameters with the endpoints a real prover needs besides
 * the execution RPCs, named after the variables op-succinct reads and handed to the jobs as the
 * Batch secrets of those names. Required when a stage runs a real prover (`sp1` or `binary`).
 */
export const proverEndpointsSchema = z.strictObject({
  /** L1 beacon API (blob sidecars), the jobs' `L1_BEACON_RPC`. */
  l1BeaconRpcParameter: z.string().min(1),
  /** L2 rollup-node RPC (`optimism_outputAtBlock`, `optimism_safeHeadAtL1Block`, …), the jobs' `L2_NODE_RPC`. */
  l2NodeRpcParameter: z.string().min(1),
});

/** The `aws` section: capacity, network and function settings of the AWS deployment. */
export const awsSchema = z.strictObject({
  region: z.string().min(1).optional(),
  /** Import a VPC instead of creating one. */
  vpcId: z.string().startsWith('vpc-').optional(),
  /** The total across every compute environment (each gets an equal share); the vCPU quotas must cover it. */
  maxVcpus: positiveInt,
  /**
   * Seconds a job may sit RUNNABLE at the head of its job queue (no capacity, or no compute
   * environment that can run it) before Batch cancels it and the pipeline retries it on on-demand.
   */
  runnableTimeLimitSeconds: z
    .number()
    .int()
    .min(600, 'at least 600 (Batch jobStateTimeLimitActions minimum)')
    .max(86_400, 'at most 86400 (Batch jobStateTimeLimitActions maximum)')
    .default(1800),
  spot: z.boolean().default(true),
  onDemandFallback: z.boolean().default(true),
  /** Warm GPU capacity is a cost choice, so the default is scale to zero. */
  minVcpus: z.number().int().min(0).default(0),
  lambdaArchitecture: z.enum(['arm64', 'x86_64']).default('arm64'),
  /** Deliveries of a topic message before SQS moves it to the topic's dead-letter queue. */
  sqsMaxReceiveCount: positiveInt.max(1000, 'at most 1000 (SQS redrive limit)').default(5),
  proverEndpoints: proverEndpointsSchema.optional(),
  /**
   * Concurrent dispatcher invocations per topic queue (the event source's `maximumConcurrency`): a
   * catch-up burst must not run hundreds of dispatchers against versioned writes and Batch's API limits.
   */
  dispatcherMaxConcurrency: z
    .number()
    .int()
    .min(2, 'at least 2 (the SQS event source minimum)')
    .max(1000, 'at most 1000 (the SQS event source maximum)')
    .default(5),
});

/** The `monitoring` section: alarm thresholds and where alarms go. */
export const monitoringSchema = z.strictObject({
  lagAlarmBlocks: positiveInt,
  noProposalIntervals: positiveInt.default(3),
  proposerMinBalanceEth: z.number().positive(),
  jobFailureRatePercent: z.number().positive().max(100).default(20),
  alarmEmail: z.email().optional(),
});

/** The deployment fields of `stages[].executor`: what the CDK app builds the stage's Batch resources from. */
export const executorDeploymentSchema = z.strictObject({
  /** Batch instance types for this executor's compute environment (GPU stages). */
  instanceTypes: z.array(z.string().min(1)).min(1).optional(),
  /** Container image URI; absent → the repo's Dockerfile is built as a CDK asset. */
  imageUri: z.string().min(1).optional(),
} satisfies Record<DeploymentExecutorField, z.ZodType>);

/**
 * The deployment layer of a config file, in the file's shape (`deploymentPartOf`): `aws`
 * (required for a deployment, checked with a clearer message than the schema's), `monitoring`, and
 * each stage's executor deployment fields at the stage's index.
 */
export const deploymentLayerSchema = z.strictObject({
  aws: awsSchema.optional(),
  monitoring: monitoringSchema,
  stages: z.array(z.strictObject({ executor: executorDeploymentSchema })),
});

/** The `aws` section after defaults. */
export type AwsDeploymentSettings = z.output<typeof awsSchema>;
/** The `aws.proverEndpoints` section. */
export type ProverEndpointSettings = z.output<typeof proverEndpointsSchema>;
/** The `monitoring` section after defaults. */
export type MonitoringSettings = z.output<typeof monitoringSchema>;
/** A stage executor's deployment fields. */
export type ExecutorDeployment = z.output<typeof executorDeploymentSchema>;
/** The deployment layer as parsed. */
export type DeploymentLayer = z.output<typeof deploymentLayerSchema>;
