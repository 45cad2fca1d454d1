import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup } from '../../batch-jobs/executor/run-child-process.js';
import { reapOnExit } from '../chains/child-process-reaper.js';
import { readJsonSnapshot, writeJsonSnapshot } from './json-snapshot.js';
import { LOCAL_ACCOUNT_ID } from './sqs-queues.js';
import { killStaleJobGroups } from './stale-job-groups.js';

export type LocalJobStatus = 'SUBMITTED' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One attempt of a job, as DescribeJobs reports it. */
export interface LocalJobAttempt {
  readonly exitCode: number | null;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly statusReason: string;
  readonly logPath: string;
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
}

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

/** A retryStrategy.evaluateOnExit condition (glob patterns, first match decides). */
export interface EvaluateOnExit {
  readonly onStatusReason?: string;
  readonly onReason?: string;
  readonly onExitCode?: string;
  readonly action: string;
}

/** The "Batch Job State Change" EventBridge event, shaped as AWS documents it. */
export interface BatchJobStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Batch Job State Change';
  readonly source: 'aws.batch';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

export interface LocalJobRunnerFaults {
  /**
   * Job name patterns (exact, or a prefix ending with `*`); for each, the first run of the first
   * job that matches fails with exit code 1 (one injected failure per pattern).
   */
  readonly failOnce?: readonly string[];
}

export interface LocalJobRunnerOptions {
  /** argv of the job container, e.g. `[process.execPath, '--import', 'tsx', 'batch-jobs/entrypoint.ts']`. */
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
  /** Patterns whose failure was injected already. */
  private readonly usedFailures = new Set<string>();
  private stopped = false;
  /** Aborts the back-off waits of event deliveries on stop. */
  private readonly stopping = new AbortController();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly region: string;
  private readonly snapshotPath: string;

  constructor(private readonly options: LocalJobRunnerOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.snapshotPath = join(options.stateDirectory, 'jobs.json');
    mkdirSync(join(options.stateDirectory, 'logs'), { recursive: true });
    const snapshot = readJsonSnapshot(this.snapshotPath) as
      | { jobs: LocalJob[]; submittedByName: Record<string, number>; runsByName: Record<string, number> }
      | undefined;
    if (snapshot !== undefined) {
      const stale = snapshot.jobs.flatMap((job) =>
        job.pgid === undefined ? [] : [{ pgid: job.pgid, jobId: job.jobId }],
      );
      const killed = killStaleJobGroups(stale);
      if (killed.length > 0)
        options.onLog?.(`killed ${killed.length} job process group(s) a previous run left behind`);
      for (const job of snapshot.jobs) {
        delete job.pgid;
        // A job cut off by a stop resumes as Batch would keep it: back in the queue.
        if (job.status === 'STARTING' || job.status === 'RUNNING' || job.status === 'SUBMITTED')
          job.status = 'RUNNABLE';
        this.jobs.set(job.jobId, job);
      }
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
    this.stopping.abort();
    // Kill each job's process group: the entrypoint and the prover it started.
    for (const child of this.running.values()) signalGroup(child.pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (this.running.size > 0 && Date.now() < deadline) await sleep(20);
    await Promise.allSettled([...this.deliveries]);
    this.persist();
  }

  private persist(): void {
    writeJsonSnapshot(this.snapshotPath, {
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
      delete job.pgid;
      if (this.stopped) {
        job.status = 'RUNNABLE';
        this.persist();
        return;
      }
      job.attempts.push({ exitCode, startedAt, stoppedAt: Date.now(), statusReason, logPath });
      if (exitCode === 0) {
        this.terminate(job, 'SUCCEEDED', 'Essential container in task exited');
      } else if (
        job.attempts.length < job.maxAttempts &&
        shouldRetry(job.evaluateOnExit, exitCode, statusReason)
      ) {
        job.status = 'RUNNABLE';
        this.persist();
      } else {
        this.terminate(job, 'FAILED', statusReason);
      }
      this.pump();
    };

    if (this.injectFailure(job.jobName)) {
      job.status = 'RUNNING';
      this.persist();
      this.options.onLog?.(`fault: job ${job.jobName} fails once (injected)`);
      setImmediate(() => finish(1, 'Essential container in task exited (injected fault)'));
      return;
    }

    const [executable, ...args] = this.options.command;
    const log = createWriteStream(logPath);
    const child = spawn(executable as string, args, {
      cwd: this.options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...this.options.baseEnvironment,
        ...Object.fromEntries(job.environment.map((entry) => [entry.name, entry.value])),
        AWS_BATCH_JOB_ID: job.jobId,
        AWS_BATCH_JOB_ATTEMPT: String(attemptIndex + 1),
        AWS_BATCH_JQ_NAME: job.jobQueue.slice(job.jobQueue.lastIndexOf('/') + 1),
        AWS_BATCH_CE_NAME: 'local',
      },
    });
    // Kill the job's process group if this process exits without stop() (a second Ctrl-C, a crash). On
    // SIGINT / SIGTERM a handler of this process (npm start) calls stop(), which puts the job back in the
    // queue; killing it here first would fail the attempt instead.
    const release = reapOnExit(child, { processGroup: true, deferToSignalHandlers: true });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.running.set(job.jobId, child);
    if (child.pid !== undefined) job.pgid = child.pid;
    job.status = 'RUNNING';
    this.persist();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid, 'SIGKILL');
    }, job.timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      release();
      log.end();
      finish(null, `CannotStartContainerError: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Processes the entrypoint left in its group (a prover) go with it, as with a Batch container.
      signalGroup(child.pid, 'SIGKILL');
      release();
      log.end();
      if (timedOut) finish(null, 'Job attempt duration exceeded timeout');
      else if (code === 0) finish(0, 'Essential container in task exited');
      else finish(code, `Essential container in task exited (exit code ${code ?? signal})`);
    });
  }

  private injectFailure(jobName: string): boolean {
    const pattern = (this.options.faults?.failOnce ?? []).find(
      (candidate) => !this.usedFailures.has(candidate) && globMatches(candidate, jobName),
    );
    if (pattern === undefined) return false;
    this.usedFailures.add(pattern);
    return true;
  }

  private terminate(job: LocalJob, status: 'SUCCEEDED' | 'FAILED', statusReason: string): void {
    job.status = status;
    job.statusReason = statusReason;
    job.stoppedAt = Date.now();
    this.persist();
    this.deliver(job);
  }

  /**
   * Delivers the terminal event until it is accepted or the runner stops (events are idempotent, and a
   * job whose event is lost would leave its group `running`), with a capped exponential back-off. An event not
   * delivered by stop is delivered again on the next start.
   */
  private deliver(job: LocalJob): void {
    const delivery = (async () => {
      for (let attempt = 1; !this.stopped || attempt === 1; attempt += 1) {
        try {
          await this.options.onStateChange(batchJobStateChangeEvent(job, this.region));
          job.eventDelivered = true;
          this.persist();
          return;
        } catch (error) {
          this.options.onLog?.(
            `job-state delivery for ${job.jobName} failed (try ${attempt}): ${(error as Error).message}`,
          );
          const backoff = this.options.deliveryBackoff ?? { firstMs: 250, maxMs: 5000 };
          await sleep(Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt - 1, 16)), undefined, {
            signal: this.stopping.signal,
          }).catch(() => undefined);
        }
      }
    })();
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }
}

/** The DescribeJobs / event `detail` view of a job. */
export function jobDetail(job: LocalJob): Record<string, unknown> {
  const last = job.attempts.at(-1);
  return {
    jobArn: job.jobArn,
    jobName: job.jobName,
    jobId: job.jobId,
    jobQueue: job.jobQueue,
    status: job.status,
    ...(job.statusReason === undefined ? {} : { statusReason: job.statusReason }),
    attempts: job.attempts.map((attempt) => ({
      container: { exitCode: attempt.exitCode ?? undefined, logStreamName: attempt.logPath },
      startedAt: attempt.startedAt,
      stoppedAt: attempt.stoppedAt,
      statusReason: attempt.statusReason,
    })),
    createdAt: job.createdAt,
    ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
    ...(job.stoppedAt === undefined ? {} : { stoppedAt: job.stoppedAt }),
    retryStrategy: { attempts: job.maxAttempts, evaluateOnExit: job.evaluateOnExit },
    timeout: { attemptDurationSeconds: job.timeoutSeconds },
    dependsOn: [],
    jobDefinition: job.jobDefinition,
    parameters: job.parameters,
    container: {
      image: 'local',
      command: [],
      environment: job.environment,
      ...(last?.exitCode === undefined || last.exitCode === null ? {} : { exitCode: last.exitCode }),
      ...(last === undefined ? {} : { logStreamName: last.logPath }),
    },
    tags: {},
    propagateTags: false,
    platformCapabilities: ['EC2'],
  };
}

function batchJobStateChangeEvent(job: LocalJob, region: string): BatchJobStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Batch Job State Change',
    source: 'aws.batch',
    account: LOCAL_ACCOUNT_ID,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [job.jobArn],
    detail: jobDetail(job),
  };
}

/** AWS Batch's evaluateOnExit: the first matching condition decides; no match retries. */
function shouldRetry(
  conditions: readonly EvaluateOnExit[],
  exitCode: number | null,
  statusReason: string,
): boolean {
  for (const condition of conditions) {
    const matches =
      (condition.onStatusReason === undefined || globMatches(condition.onStatusReason, statusReason)) &&
      (condition.onReason === undefined || globMatches(condition.onReason, statusReason)) &&
      (condition.onExitCode === undefined || globMatches(condition.onExitCode, String(exitCode ?? '')));
    if (matches) return condition.action.toUpperCase() === 'RETRY';
  }
  return true;
}

function globMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

function definitionName(jobDefinition: string): string {
  const name = jobDefinition.slice(jobDefinition.lastIndexOf('/') + 1);
  return name.replace(/:\d+$/, '');
}
