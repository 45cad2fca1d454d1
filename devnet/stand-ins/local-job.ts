export type LocalJobStatus = 'SUBMITTED' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One attempt of a job, as DescribeJobs reports it. */
export interface LocalJobAttempt {
  readonly exitCode: number | null;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly statusReason: string;
  readonly logPath: string;
}

/** A retryStrategy.evaluateOnExit condition (glob patterns, first match decides). */
export interface EvaluateOnExit {
  readonly onStatusReason?: string;
  readonly onReason?: string;
  readonly onExitCode?: string;
  readonly action: string;
}

/** A job as the local Batch keeps it (persisted, so a restart resumes the queue). */
export interface LocalJob {
  readonly jobId: string;
  readonly jobArn: string;
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly parameters: Record<string, string>;
  readonly environment: { name: string; value: string }[];
  /** Attempts Batch makes (retryStrategy.attempts). */
  readonly maxAttempts: number;
  readonly evaluateOnExit: readonly EvaluateOnExit[];
  readonly timeoutSeconds: number;
  status: LocalJobStatus;
  statusReason?: string;
  readonly createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  attempts: LocalJobAttempt[];
  /** The terminal state-change event reached the listener. */
  eventDelivered: boolean;
  /**
   * Process group of the running attempt (persisted, so that a runner killed with SIGKILL has the
   * next start kill the attempts it left behind).
   */
  pgid?: number;
}

/** A job definition's defaults (the CDK app creates one per stage; locally they come from the config). */
export interface LocalJobDefinition {
  readonly timeoutSeconds: number;
  /** @default 1 */
  readonly attempts?: number;
  /** The container's environment; a job's containerOverrides environment wins over it, as on Batch. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The SubmitJob fields the local Batch honours. */
export interface SubmitJobRequest {
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly parameters?: Record<string, string>;
  readonly environment?: { name: string; value: string }[];
  readonly attempts?: number;
  readonly evaluateOnExit?: readonly EvaluateOnExit[];
  readonly timeoutSeconds?: number;
}
