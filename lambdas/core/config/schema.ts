import * as z from 'zod';
import { addressString, bytes32Hex, decimalString, positiveInt, rpcUrl } from '../schema/primitives.js';
import { l2FinalitySchema } from './l2-finality.js';
import { stageSchema, topicName } from './stage-schema.js';

/** How often a scheduled handler runs. The devnet uses seconds; AWS needs whole minutes (≥ 60 s). */
export const scheduleSchema = z.strictObject({ everySeconds: positiveInt });

/**
 * RPC endpoints: either listed (devnet, tests) or held in an SSM SecureString parameter
 * (production: proxyd URLs often carry credentials and never belong in a template).
 */
const rpcEndpointsSchema = z.strictObject({
  rpcUrls: z.array(rpcUrl).min(1, 'at least one RPC URL').optional(),
  rpcUrlsParameter: z
    .string()
    .regex(/^\/[\w./-]+$/, 'an SSM parameter name such as "/prover/l1-rpc-urls"')
    .optional(),
  rpcTimeoutMs: positiveInt.default(10_000),
  /** An endpoint whose head is more than this many blocks behind the best one's is used last. */
  maxHeadLagBlocks: positiveInt.default(10),
  /** How often the endpoints' heads are compared (`eth_blockNumber` on each). */
  headCheckIntervalSeconds: positiveInt.default(30),
});

export const l1ChainSchema = rpcEndpointsSchema.extend({
  chainId: positiveInt,
  /** OPSuccinctL2OutputOracle address; the devnet fills it in after deploying. */
  oracleAddress: addressString.optional(),
  /** SP1 verifier (gateway) the oracle calls; informational, the oracle holds the real one. */
  verifierAddress: addressString.optional(),
});

export const l2ChainSchema = rpcEndpointsSchema.extend({
  chainId: positiveInt,
  finality: l2FinalitySchema,
  /** Block whose output root the oracle was initialised with: proving starts at startBlock + 1. */
  startBlock: decimalString,
  /** Rollup config file whose sha256 is the programs' `rollupConfigHash`, relative to the config file. */
  rollupConfigPath: z.string().min(1),
});

export const watcherSchema = z.strictObject({
  schedule: scheduleSchema,
  outputTopic: topicName.default('blocks'),
  maxBlocksPerRun: positiveInt,
  rpcRequestsPerSecond: z.number().positive('a positive number of requests per second'),
  /**
   * How far below its cursor the watcher looks for the common ancestor of an L2 reorg (`finality:
   * safe`). A reorg deeper than this halts the proposer (`pause/proposer`) instead of rewinding.
   * @default 64
   */
  maxReorgDepth: positiveInt.default(64),
});

export const signerSchema = z.discriminatedUnion('kind', [
  /** AWS KMS ECC_SECG_P256K1 key: created by the CDK app, or imported by ARN. */
  z.strictObject({ kind: z.literal('kms'), keyArn: z.string().startsWith('arn:aws').optional() }),
  /** A funded anvil dev account, by index of the standard test mnemonic (devnet only). */
  z.strictObject({ kind: z.literal('anvil-dev'), accountIndex: z.number().int().min(0).max(9) }),
]);

export const proposerSchema = z.strictObject({
  schedule: scheduleSchema,
  inputTopic: topicName,
  /** Oracle config name, hashed with keccak256 to the bytes32 `configName`. */
  configName: z.string().min(1),
  /** Blocks between proposals, as the oracle's `submissionInterval()`. */
  submissionInterval: positiveInt,
  signer: signerSchema,
  maxFeePerGasGwei: z.number().positive(),
  maxPriorityFeePerGasGwei: z.number().positive(),
  feeBumpPercent: z
    .number()
    .int()
    .min(10, 'at least 10 (nodes refuse smaller replacement bumps)')
    .default(12),
  confirmations: z.number().int().min(0),
  resubmissionTimeoutSeconds: positiveInt,
  /** Re-check the claimed output root against the L2 RPC before sending. */
  verifyOutputRoot: z.boolean().default(true),
  /** Reuse an L1 checkpoint only while younger than this (blockhash() reaches back 256 blocks). */
  checkpointMaxAgeBlocks: z.number().int().min(1).max(255, 'at most 255 (blockhash() window)').default(200),
  /** L1 blocks behind the head to checkpoint (reorg safety). */
  checkpointDepth: z.number().int().min(0).default(0),
  /** Lease that makes one invocation the only writer for the signer. */
  leaseSeconds: positiveInt.default(240),
  /**
   * The verification keys the oracle's config (`proposer.configName`) must hold: the aggregation
   * program's vkey and the range program's vkey commitment (bytes32 hex, as the build prints them).
   * When set, a run against an oracle holding others is refused (`vkey-mismatch`); left out, they
   * are not checked.
   */
  expectedVkeys: z.strictObject({ aggregationVkey: bytes32Hex, rangeVkeyCommitment: bytes32Hex }).optional(),
});

export const storageSchema = z.strictObject({
  artifactRetentionDays: positiveInt,
  logRetentionDays: positiveInt,
  /** Payloads larger than this go to the blob store and travel by key. */
  inlinePayloadMaxBytes: positiveInt
    .max(200_000, 'at most 200000 (SQS messages are ≤ 256 KiB)')
    .default(64_000),
  /**
   * Days a state item in a terminal status nothing reads again (proposed, skipped, expired
   * messages) is kept before DynamoDB's TTL deletes it. More than SQS's 14-day maximum retention,
   * so a redelivered message still finds its item and is recognised as a duplicate.
   */
  stateRetentionDays: positiveInt
    .min(15, 'at least 15 (longer than the 14 days SQS may keep a message for redelivery)')
    .default(30),
});

/**
 * The runtime pipeline config: what the handlers and the Batch jobs read, on AWS
 * (`PIPELINE_CONFIG_JSON`) and in the devnet (`PIPELINE_CONFIG_PATH`). A config file may also hold
 * the deployment layer (`aws`, `monitoring`, executor `instanceTypes` / `imageUri`: read by `cdk/`)
 * and the local layer (`local`: read by `devnet/`); `parsePipelineConfig` reads only this part.
 */
export const pipelineConfigSchema = z.strictObject({
  version: z.literal(1),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'a pipeline name of lower-case letters, digits and dashes'),
  chains: z.strictObject({ l1: l1ChainSchema, l2: l2ChainSchema }),
  watcher: watcherSchema,
  stages: z.array(stageSchema).min(1, 'at least one stage'),
  proposer: proposerSchema,
  storage: storageSchema,
});

/** The runtime pipeline config after defaults. */
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
/** The runtime pipeline config as written (defaults may be left out). */
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
export type {
  CollectorConfig,
  ExecutorConfig,
  JoinConfig,
  JoinStageConfig,
  MatchCollectorConfig,
  ProvingStageConfig,
  SequentialCollectorConfig,
  StageConfig,
} from './stage-schema.js';
export type ProposerConfig = PipelineConfig['proposer'];
export type ScheduleConfig = z.output<typeof scheduleSchema>;
