import * as z from 'zod';
import { backendNameSchema } from '../executor/backend-name.js';
import { programNameSchema } from '../executor/program-name.js';
import { proofModeSchema } from '../executor/proof-mode.js';
import { keyKindSchema } from '../messages/key-kind.js';
import { decimalString, positiveInt } from '../schema/primitives.js';
import { adaptiveSizeSchema } from './adaptive-size-schema.js';
import { budgetSchema } from './budget-schema.js';
import { hedgeSchema } from './hedge-schema.js';

/** The Match collector `field` that matches on the envelope key (a range result's span `start-end`). */
export const MATCH_ON_KEY = '@key';

/** A topic name: lower-case letters, digits and dashes. */
export const topicName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a topic name of lower-case letters, digits and dashes');

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
  /** Block keys only: one range size per epoch, adapted to observed proving times (`adaptive-size-schema.ts`). */
  adaptiveSize: adaptiveSizeSchema.optional(),
  /**
   * Flush a contiguous partial group once its oldest message waited this long. The only boundary
   * that depends on time, not on the blocks: a stage whose groups must equal another stage's must
   * leave it out.
   */
  maxWaitSeconds: z.number().positive().optional(),
});

export const matchCollectorSchema = z.strictObject({
  strategy: z.literal('match'),
  /**
   * Dotted path into the payload whose value must be equal, e.g. "end" or "block.hash"; or
   * `@key` (`MATCH_ON_KEY`), the message's envelope key: for range results their span `start-end`,
   * which a join stage matches on (no payload field holds the span as one value).
   */
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

const stageName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,29}$/, 'a stage name of lower-case letters, digits and dashes');

/** A stage whose groups run as jobs of its executor. */
export const provingStageSchema = z.strictObject({
  name: stageName,
  inputTopics: z.array(topicName).min(1, 'at least one input topic'),
  outputTopic: topicName,
  collector: collectorSchema,
  executor: executorSchema,
});

/**
 * How a join stage decides on the results its Match collector joined (one per input topic, each
 * from another proving stage working the same span).
 */
export const joinSchema = z.strictObject({
  /**
   * `all`: every input's result must be valid and their claims (BootInfo but `l1Head`) equal, else
   * the span halts (`provers-disagree`); `first`: the first valid result is handed on at once and
   * the other stages' jobs for the span are terminated.
   */
  policy: z.enum(['all', 'first']),
  /** The input topic whose result is handed on: the one the aggregate program can verify. */
  forward: topicName,
});

/**
 * A stage with no job: it joins the results of several proving stages on their span and hands one
 * result per span on (`orchestrator/join/`). Its collector is a Match collector.
 */
export const joinStageSchema = z.strictObject({
  name: stageName,
  inputTopics: z.array(topicName).min(2, 'at least two input topics to join'),
  outputTopic: topicName,
  collector: matchCollectorSchema,
  join: joinSchema,
});

/**
 * A stage: a join stage when it has `join`, else a proving stage (`executor`). Routed on that key
 * rather than tried as a union, so an error names the stage's own field (`stages[0].executor.attempts`)
 * instead of "matches neither".
 */
// The input type is the two stages' (the check is the routed parse below).
export const stageSchema = z
  .custom<ProvingStageInput | JoinStageInput>(() => true)
  .transform((value, ctx) => {
    const joins = typeof value === 'object' && value !== null && 'join' in value;
    const parsed = joins ? joinStageSchema.safeParse(value) : provingStageSchema.safeParse(value);
    if (parsed.success) return parsed.data as ProvingStageOutput | JoinStageOutput;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: issue.input });
    }
    return z.NEVER;
  });

type ProvingStageOutput = z.output<typeof provingStageSchema>;
type ProvingStageInput = z.input<typeof provingStageSchema>;
type JoinStageInput = z.input<typeof joinStageSchema>;
type JoinStageOutput = z.output<typeof joinStageSchema>;

/** One stage: its topics, collector and executor or join. */
export type StageConfig = z.output<typeof stageSchema>;
/** A stage whose groups run as jobs. */
export type ProvingStageConfig = z.output<typeof provingStageSchema>;
/** A stage that joins other stages' results on their span. */
export type JoinStageConfig = z.output<typeof joinStageSchema>;
export type JoinConfig = z.output<typeof joinSchema>;
export type CollectorConfig = StageConfig['collector'];
export type SequentialCollectorConfig = z.output<typeof sequentialCollectorSchema>;
export type MatchCollectorConfig = z.output<typeof matchCollectorSchema>;
/** How a stage's jobs run (the runtime part: no instance types or image). */
export type ExecutorConfig = z.output<typeof executorSchema>;

/** Whether `stage` is a join stage (no executor, no jobs). */
export function isJoinStage(stage: StageConfig): stage is JoinStageConfig {
  return 'join' in stage;
}

/** Whether `stage` runs jobs. */
export function isProvingStage(stage: StageConfig): stage is ProvingStageConfig {
  return 'executor' in stage;
}
