import type { ProvingStageConfig } from '../../config/schema.js';
import type { L1Checkpoint } from '../../executor/aggregate-contract.js';
import type { ProgramName } from '../../executor/program-name.js';
import type { MetricName } from '../../ports/telemetry.js';

/** What the proposer gives a group of a stage with `executor.l1Checkpoint` before its job can run. */
export interface CheckpointGrant {
  readonly checkpoint: L1Checkpoint;
  readonly rangeVkey: string;
  readonly proverAddress: string;
}

/** A member message's payload, with the message id that errors name. */
export interface MemberPayload {
  readonly messageId: string;
  readonly payload: unknown;
}

/** One result of a job, as the orchestrator publishes it on the stage's output topic. */
export interface ProgramResult {
  /** Message key on the output topic, e.g. `100-130`. */
  readonly key: string;
  /** The blocks it covers, `(start, end]`. */
  readonly start: bigint;
  readonly end: bigint;
  /** The result document published as the message payload. */
  readonly document: unknown;
}

/** What a program needs to build one group's executor request. */
export interface ProgramRequestContext {
  readonly stage: ProvingStageConfig;
  readonly groupId: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly members: readonly MemberPayload[];
  /** What the proposer recorded for stages with `executor.l1Checkpoint` (checkpoint, vkey, prover). */
  readonly grant?: CheckpointGrant;
}

/**
 * A program as the orchestrator sees it: the orchestrator knows stages and groups, and asks the
 * stage's program to turn member payloads into an executor request and an executor output into
 * results. Implemented beside each program's contract (`lambdas/core/programs/`).
 */
export interface ProgramPlugin {
  readonly program: ProgramName;
  /**
   * The executor input document for a group.
   * @throws InvalidInputError naming the member message and schema path of a payload the program
   * cannot use (the group is then abandoned as unbuildable); PipelineError when a required grant is missing.
   */
  buildRequest(context: ProgramRequestContext): unknown;
  /**
   * Validates an executor output document (one result or an array) into results.
   * @throws InvalidInputError naming the schema path.
   */
  parseOutput(raw: unknown): ProgramResult[];
  /** Gauge set to the group's end block when a group of this program succeeds. */
  readonly headMetric: MetricName;
}

/** The plug-ins by program name, built once by the composition root. */
export type ProgramPlugins = Readonly<Record<ProgramName, ProgramPlugin>>;
