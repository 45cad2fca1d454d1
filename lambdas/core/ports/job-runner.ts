import type { ExecutorConfig } from '../config/schema.js';
import type { FailureClass } from '../executor/failure-class.js';

/** One executor run for one group: what the Batch job (or local child process) needs to know. */
export interface JobSpec {
  /** Deterministic per group and attempt, e.g. `range-100-130-a1` (Batch job names ≤ 128 chars). */
  readonly name: string;
  readonly stage: string;
  readonly groupId: string;
  /** 1-based attempt of this group. */
  readonly attempt: number;
  /** Blob key of the executor input document. */
  readonly inputKey: string;
  /** Blob key where the executor must write its output document. */
  readonly outputKey: string;
  readonly executor: ExecutorConfig;
  /**
   * The group's previous attempt never got a fair run (`infrastructure`: no Spot capacity, a host
   * reclaimed, an image that did not pull): a runner with a more reliable capacity pool (Batch's
   * on-demand-only queue) submits this attempt there.
   */
  readonly afterInfrastructureFailure?: boolean;
  /**
   * The capacity pool this job must run in, whatever the attempt's history: `on-demand` is the
   * stage's on-demand-only queue (a hedge runs there, beside a straggler on the main queue).
   * Absent: the runner's choice (the main queue, or on-demand after an infrastructure failure).
   */
  readonly queue?: 'on-demand';
  /**
   * The caller wrote this attempt's claim moments ago (its own conditional write, in the same call),
   * so no run under `name` can exist yet: nobody else submits a claim before `CLAIM_GRACE_SECONDS`
   * have passed (the stalled-group sweep, which leaves this unset). A runner may then skip its
   * look-up by name (Batch `ListJobs`). Absent: look the name up first.
   */
  readonly claimedJustNow?: boolean;
}

/** Where a job is, as its runner sees it. `active` covers queued, waiting for capacity and running. */
export type JobRunState =
  | {
      readonly state: 'active';
      /** Set while the job waits to be placed (Batch `RUNNABLE`): since when (ISO time) and why, if said. */
      readonly runnable?: { readonly since: string; readonly reason?: string };
      /** When the job started running (ISO time; Batch `startedAt`), once it has. */
      readonly startedAt?: string;
    }
  | {
      readonly state: 'succeeded';
      /** Run time when the runner knows it (Batch `startedAt` → `stoppedAt`), for the cost guard's day spend. */
      readonly durationSeconds?: number;
    }
  | {
      readonly state: 'failed';
      readonly reason?: string;
      readonly failureClass?: FailureClass;
      readonly durationSeconds?: number;
    }
  | { readonly state: 'unknown' };

/**
 * Starts executor jobs (AWS Batch on AWS, child processes locally). Completion is reported
 * asynchronously as a Batch "Job State Change" event to the job-state handler, never returned.
 */
export interface JobRunner {
  /** Submits the job; a second submit with the same name must not start a second run. */
  submit(spec: JobSpec): Promise<{ jobId: string }>;
  /**
   * The state of the job submitted under `name` for `stage`, for reconciling a group whose
   * completion event never arrived (events can be lost: a dead-lettered EventBridge target).
   */
  state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState>;
  /**
   * Stops every active run of the job submitted under `name` for `stage` (Batch `TerminateJob`: a
   * queued run is cancelled, a running one is stopped) and returns how many it asked to stop. A job
   * that already ended, or was never submitted, is left alone (0). Each stopped run still ends with a
   * FAILED state change whose status reason is `reason`: the caller moves its group on first, so that
   * the late event finds nothing waiting for it.
   */
  terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number>;
}
