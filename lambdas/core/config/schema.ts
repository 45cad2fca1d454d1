import * as z from 'zod';
import { backendNameSchema } from '../executor/backend-name.js';
import { programNameSchema } from '../executor/program-name.js';
import { proofModeSchema } from '../executor/proof-mode.js';
import { keyKindSchema } from '../messages/key-kind.js';
import { addressString, bytes32Hex, decimalString, positiveInt, rpcUrl } from '../schema/primitives.js';
import { budgetSchema } from './budget-schema.js';
import { hedgeSchema } from './hedge-schema.js';
import { l2FinalitySchema } from './l2-finality.js';

const topicName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a topic name of lower-case letters, digits and dashes');

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

/** A positive amount of gas: a whole number or a decimal string (gas limits outgrow 32 bits), read as a decimal string. */
const gasAmount = z
  .union([positiveInt, decimalString.refine((s) => s !== '0', 'a decimal integer string ≥ 1')], {
    error: 'a positive whole amount of gas, as a number or a decimal string such as "3000000000"',
  })
  .transform((v) => String(v));

export const sequentialCollectorSchema = z.strictObject({
  strategy: z.literal('sequential'),
  /** `block`: a message covers (n-1, n]; `range`: a message keyed "start-end" covers (start, end]. */
  keyKind: keyKindSchema,
  /** Messages per group. */
  groupSize: positiveInt.optional(),
  /** Blocks per group (end - start), for range keys. */
  minSpan: positiveInt.optional(),
  /**
   * Block keys only: the most L2 gas in one group (op-succinct's `RANGE_PROOF_EVM_GAS_LIMIT`). A
   * group closes at `groupSize` blocks or before the block that would take it past this, whichever
   * comes first; a block above it forms a group alone (`collector/range-cut.ts`). Written as a
   * decimal string or a whole number; read as a decimal string.
   */
  maxGasPerRange: gasAmount.optional(),
  /**
   * Flush a contiguous partial group once its oldest message waited this long. The only boundary
   * that depends on time, not on the blocks: a stage whose groups must equal another stage's must
   * leave it out.
   */
  maxWaitSeconds: z.number().positive().optional(),
});

export const matchCollectorSchema = z.strictObject({
  strategy: z.literal('match'),
  /** Dotted path into the payload whose value must be equal, e.g. "end" or "block.hash". */
  field: z.string().min(1),
  /** Messages per complete group; or `countField` carries it in each message. */
  count: z.number().int().min(2, 'an integer ≥ 2').optional(),
  countField: z.string().min(1).optional(),
  timeoutSeconds: z.number().positive(),
  onTimeout: z.enum(['fail', 'flush']),
});

export const collectorSchema = z.discriminatedUnion('strategy', [
  sequentialCollectorSchema,
  matchCollectorSchema,
]);

export const executorSchema = z.strictObject({
  /**
   * Where jobs run: `batch` = AWS Batch (the devnet answers the Batch API with a local job runner).
   * The only runner built so far; the field is explicit so a light-program runner (e.g. Lambda)
   * can be added as a config value, not a code path.
   */
  runner: z.enum(['batch']),
  /** Program the executor runs: `range` and `aggregate` ship with the repo. */
  program: programNameSchema,
  backend: backendNameSchema,
  /** Prover command for `sp1` / `binary` backends (argv prefix; the contract flags are appended). */
  command: z.array(z.string().min(1)).min(1).optional(),
  proofMode: proofModeSchema,
  /**
   * What one job asks of its instance. The job runner requests it on every SubmitJob (the job
   * definition carries the same), so it is runtime config; the CDK app checks it against the
   * deployment's instance types.
   */
  resources: z.strictObject({
    vcpus: positiveInt,
    memoryMiB: positiveInt,
    gpus: z.number().int().min(0),
  }),
  timeoutSeconds: positiveInt,
  attempts: z.number().int().min(1).max(10, 'at most 10 attempts (AWS Batch limit)'),
  /** After the last attempt: `bisect` splits a range group into two halves, `fail` marks it failed. */
  onExhausted: z.enum(['bisect', 'fail']),
  /** The proposer must checkpoint an L1 block hash before this stage's job runs (aggregate). */
  l1Checkpoint: z.boolean().default(false),
  /**
   * Range stages only: how many L1 blocks below the L1 head the job picks the range's `l1Head` (the
   * L1 block derivation reads up to, which the aggregate later needs still canonical). A few blocks
   * keep the usual tip reorgs from removing it (AWS example: 5; devnet: 2); 0 or absent takes the head.
   * At most 64: the aggregate's L1 header chain (oldest range `l1Head` → checkpoint, at most
   * `MAX_L1_HEADER_SPAN` = 8192 blocks) covers it many times over.
   * @default 0
   */
  l1HeadDepth: z.number().int().min(0).max(64, 'at most 64 L1 blocks below the head').optional(),
  /** The stage's cost guard: daily GPU-hour or dollar budget, per-job cycle limit (`budget-schema.ts`). */
  budget: budgetSchema.optional(),
  /** Proof hedging: a second job for a straggler, on another capacity pool (`hedge-schema.ts`). */
  hedge: hedgeSchema.optional(),
});

export const stageSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, 'a stage name of lower-case letters, digits and dashes'),
  inputTopics: z.array(topicName).min(1, 'at least one input topic'),
  outputTopic: topicName,
  collector: collectorSchema,
  executor: executorSchema,
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
/** One stage: its topics, collector and executor. */
export type StageConfig = PipelineConfig['stages'][number];
export type CollectorConfig = StageConfig['collector'];
export type SequentialCollectorConfig = z.output<typeof sequentialCollectorSchema>;
export type MatchCollectorConfig = z.output<typeof matchCollectorSchema>;
/** How a stage's jobs run (the runtime part: no instance types or image). */
export type ExecutorConfig = StageConfig['executor'];
export type ProposerConfig = PipelineConfig['proposer'];
export type ScheduleConfig = z.output<typeof scheduleSchema>;
