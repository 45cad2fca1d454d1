import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup } from '../../batch-jobs/executor/run-child-process.js';
import type { BatchJobStateChangeEvent } from './batch-job-state-change.js';
import { spawnJobAttempt } from './job-attempt-process.js';
import { JobFaultInjector, type LocalJobRunnerFaults } from './job-fault-injector.js';
import { resumeJobRunnerSnapshot, writeJobRunnerSnapshot } from './job-runner-snapshot.js';
import { LOCAL_ACCOUNT_ID } from './local-account.js';
import type { LocalJob, LocalJobDefinition, SubmitJobRequest } from './local-job.js';
import { shouldRetry } from './retry-strategy.js';
import { StateChangeDeliveries } from './state-change-deliveries.js';

export interface LocalJobRunnerOptions {
  /** argv of the job container, e.g. `[process.execPath, 'dist/job-bundles/<hash>/entrypoint.mjs']`. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Environment every job gets (AWS endpoints, RPC URLs), under the containerOverrides environment. */
  readonly baseEnvironment: Record<string, string>;
  readonly maxParallelJobs: number;
  readonly jobDefinitions: Record<string, LocalJobDefinition>;
  /** Folder for the job snapshot and per-attempt logs. */
  readonly stateDirectory: string;
  readonly region?: string;
  readonly faults?: LocalJobRunnerFaults;
  /** Back-off between deliveries of a state change the listener refused. @default { firstMs: 250, maxMs: 5000 } */
  readonly deliveryBackoff?: { readonly firstMs: number; readonly maxMs: number };
  /** Receives the terminal state change; a throw is retried (until stop) like an EventBridge target. */
  readonly onStateChange: (event: BatchJobStateChangeEvent) => Promise<void>;
  readonly onLog?: (line: string) => void;
}

/** Counts for tests and the benchmark. */
export interface LocalJobRunnerStats {
  /** SubmitJob calls per job name (like Batch, every call creates a job, even with a name in use). */
  readonly submittedByName: Record<string, number>;
  /** Container runs started per job name (Batch retries count). */
  readonly runsByName: Record<string, number>;
}

/**
 * AWS Batch on one machine: runs each job's container command as a child process with the Batch
 * environment (AWS_BATCH_JOB_ID, AWS_BATCH_JOB_ATTEMPT, the containerOverrides environment), up to
 * `maxParallelJobs` at once, retries per retryStrategy, kills attempts that exceed their timeout, and
 * emits "Batch Job State Change" events for SUCCEEDED / FAILED (the states the pipeline's rule selects).
 */
export class LocalJobRunner {
  private readonly jobs = new Map<string, LocalJob>();
  private readonly running = new Map<string, ChildProcess>();
  private readonly submittedByName = new Map<string, number>();
  private readonly runsByName = new Map<string, number>();
  /** Running jobs a TerminateJob was asked for, with its reason: their attempt's end fails the job. */
  private readonly terminating = new Map<string, string>();
  private stopped = false;
  private readonly faults: JobFaultInjector;
  private readonly deliveries: StateChangeDeliveries;
  private readonly region: string;
  private readonly snapshotPath: string;

  constructor(private readonly options: LocalJobRunnerOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.snapshotPath = join(options.stateDirectory, 'jobs.json');
    this.faults = new JobFaultInjector(options.faults?.failJobs ?? []);
    this.deliveries = new StateChangeDeliveries({
      onStateChange: options.onStateChange,
      region: this.region,
      backoff: options.deliveryBackoff ?? { firstMs: 250, maxMs: 5000 },
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
    mkdirSync(join(options.stateDirectory, 'logs'), { recursive: true });
    const snapshot = resumeJobRunnerSnapshot(this.snapshotPath, options.onLog);
    if (snapshot !== undefined) {
      for (const job of snapshot.jobs) this.jobs.set(job.jobId, job);
      for (const [name, count] of Object.entries(snapshot.submittedByName))
        this.submittedByName.set(name, count);
      for (const [name, count] of Object.entries(snapshot.runsByName)) this.runsByName.set(name, count);
    }
  }

  /** Starts runnable jobs and re-delivers terminal events a previous process did not deliver. */
  start(): void {
    for (const job of this.jobs.values()) {
      if ((job.status === 'SUCCEEDED' || job.status === 'FAILED') && !job.eventDelivered) this.deliver(job);
    }
    this.pump();
  }

  /**
   * SubmitJob: like AWS Batch, every call creates a new job with a new id, even when a job with that
   * name is active or succeeded (job names are not unique in Batch; callers that must not run a job
   * twice look it up with ListJobs first).
   */
  submit(request: SubmitJobRequest): LocalJob {
    const definition = this.options.jobDefinitions[definitionName(request.jobDefinition)];
    const jobId = randomUUID();
    const job: LocalJob = {
      jobId,
      jobArn: `arn:aws:batch:${this.region}:${LOCAL_ACCOUNT_ID}:job/${jobId}`,
      jobName: request.jobName,
      jobQueue: request.jobQueue.startsWith('arn:')
        ? request.jobQueue
        : `arn:aws:batch:${this.region}:${LOCAL_ACCOUNT_ID}:job-queue/${request.jobQueue}`,
      jobDefinition: request.jobDefinition.startsWith('arn:')
        ? request.jobDefinition
        : `arn:aws:batch:${this.region}:${LOCAL_ACCOUNT_ID}:job-definition/${request.jobDefinition}`,
      parameters: request.parameters ?? {},
      environment: request.environment ?? [],
      maxAttempts: request.attempts ?? definition?.attempts ?? 1,
      evaluateOnExit: request.evaluateOnExit ?? [],
      timeoutSeconds: request.timeoutSeconds ?? definition?.timeoutSeconds ?? 3600,
      status: 'RUNNABLE',
      createdAt: Date.now(),
      attempts: [],
      eventDelivered: false,
    };
    this.jobs.set(jobId, job);
    this.submittedByName.set(job.jobName, (this.submittedByName.get(job.jobName) ?? 0) + 1);
    this.persist();
    this.pump();
    return job;
  }

  /**
   * TerminateJob: like AWS Batch, a job not yet running (SUBMITTED, RUNNABLE) is cancelled at once
   * and a running one is killed (its process group gets SIGTERM); either way it ends FAILED with
   * `reason` as its status reason, without Batch retries, and its state change event is emitted. A job
   * that already ended is left as it is. Unknown ids are refused, as Batch does.
   */
  terminate(jobId: string, reason: string): LocalJob {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new UnknownLocalJobError(jobId);
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return job;
    const child = this.running.get(jobId);
    if (child === undefined) {
      this.settle(job, 'FAILED', reason);
      return job;
    }
    this.terminating.set(jobId, reason);
    signalGroup(child.pid, 'SIGTERM');
    return job;
  }

  describe(jobIds: readonly string[]): LocalJob[] {
    return jobIds.flatMap((jobId) => {
      const job = this.jobs.get(jobId);
      return job === undefined ? [] : [job];
    });
  }

  list(filter: { jobQueue?: string; status?: string; jobName?: string }): LocalJob[] {
    return [...this.jobs.values()].filter(
      (job) =>
        (filter.jobQueue === undefined ||
          job.jobQueue.endsWith(`/${filter.jobQueue}`) ||
          job.jobQueue === filter.jobQueue) &&
        (filter.status === undefined || job.status === filter.status) &&
        (filter.jobName === undefined || job.jobName === filter.jobName),
    );
  }

  stats(): LocalJobRunnerStats {
    return {
      submittedByName: Object.fromEntries(this.submittedByName),
      runsByName: Object.fromEntries(this.runsByName),
    };
  }

  /** Kills running attempts (they resume on the next start) and waits for event deliveries. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.deliveries.stop();
    // Kill each job's process group: the entrypoint and the prover it started.
    for (const child of this.running.values()) signalGroup(child.pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (this.running.size > 0 && Date.now() < deadline) await sleep(20);
    await this.deliveries.settled();
    this.persist();
  }

  private persist(): void {
    writeJobRunnerSnapshot(this.snapshotPath, {
      jobs: [...this.jobs.values()],
      submittedByName: Object.fromEntries(this.submittedByName),
      runsByName: Object.fromEntries(this.runsByName),
    });
  }

  private pump(): void {
    if (this.stopped) return;
    const runnable = [...this.jobs.values()]
      .filter((job) => job.status === 'RUNNABLE')
      .sort((a, b) => a.createdAt - b.createdAt);
    for (const job of runnable) {
      if (this.running.size >= this.options.maxParallelJobs) return;
      this.runAttempt(job);
    }
  }

  private runAttempt(job: LocalJob): void {
    job.status = 'STARTING';
    const attemptIndex = job.attempts.length;
    const startedAt = Date.now();
    job.startedAt ??= startedAt;
    this.runsByName.set(job.jobName, (this.runsByName.get(job.jobName) ?? 0) + 1);
    const logPath = join(
      this.options.stateDirectory,
      'logs',
      `${job.jobName}-${job.jobId.slice(0, 8)}-${attemptIndex + 1}.log`,
    );
    const finish = (exitCode: number | null, statusReason: string): void => {
      this.running.delete(job.jobId);
      if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return; // terminated before it started
      delete job.pgid;
      if (this.stopped) {
        job.status = 'RUNNABLE';
        this.persist();
        return;
      }
      job.attempts.push({ exitCode, startedAt, stoppedAt: Date.now(), statusReason, logPath });
      const terminated = this.terminating.get(job.jobId);
      if (terminated !== undefined) {
        this.terminating.delete(job.jobId);
        this.settle(job, 'FAILED', terminated);
      } else if (exitCode === 0) {
        this.settle(job, 'SUCCEEDED', 'Essential container in task exited');
      } else if (
        job.attempts.length < job.maxAttempts &&
        shouldRetry(job.evaluateOnExit, exitCode, statusReason)
      ) {
        job.status = 'RUNNABLE';
        this.persist();
      } else {
        this.settle(job, 'FAILED', statusReason);
      }
      this.pump();
    };

    const injected = this.faults.injectFailure(job.jobName);
    if (injected !== undefined) {
      job.status = 'RUNNING';
      this.persist();
      this.options.onLog?.(`fault: job ${job.jobName} fails ${injected} (injected)`);
      setImmediate(() => finish(1, 'Essential container in task exited (injected fault)'));
      return;
    }

    const child = spawnJobAttempt({
      job,
      attemptIndex,
      command: this.options.command,
      cwd: this.options.cwd,
      baseEnvironment: {
        ...this.options.baseEnvironment,
        ...this.options.jobDefinitions[definitionName(job.jobDefinition)]?.environment,
      },
      logPath,
      onFinish: finish,
    });
    this.running.set(job.jobId, child);
    if (child.pid !== undefined) job.pgid = child.pid;
    job.status = 'RUNNING';
    this.persist();
  }

  private settle(job: LocalJob, status: 'SUCCEEDED' | 'FAILED', statusReason: string): void {
    job.status = status;
    job.statusReason = statusReason;
    job.stoppedAt = Date.now();
    this.persist();
    this.deliver(job);
  }

  /** Hands the terminal event to the deliveries; a delivered event is recorded, so a restart does not repeat it. */
  private deliver(job: LocalJob): void {
    this.deliveries.deliver(job, () => {
      job.eventDelivered = true;
      this.persist();
    });
  }
}

/** TerminateJob named a job id the local Batch never created. */
export class UnknownLocalJobError extends Error {
  constructor(readonly jobId: string) {
    super(`no job with id ${jobId}`);
  }
}

function definitionName(jobDefinition: string): string {
  const name = jobDefinition.slice(jobDefinition.lastIndexOf('/') + 1);
  return name.replace(/:\d+$/, '');
}
