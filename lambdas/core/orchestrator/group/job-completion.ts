import type { FailureClass } from '../../executor/failure-class.js';

/**
 * What the job-state handler learns about a finished executor job (the AWS adapter parses Batch
 * "Job State Change" events into this; the local runner emits the same).
 */
export interface JobCompletion {
  readonly stage: string;
  readonly groupId: string;
  /** 1-based attempt the job ran for. */
  readonly attempt: number;
  readonly jobName: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly reason?: string;
  readonly stderrTail?: string;
  /** For `FAILED`: whose fault it was. @default 'prover' */
  readonly failureClass?: FailureClass;
  readonly durationSeconds?: number;
}

/** What `finishJob` did with a completion; `ignored` for duplicates and stale attempts. */
export type CompletionOutcome = 'succeeded' | 'retried' | 'split' | 'abandoned' | 'ignored';
