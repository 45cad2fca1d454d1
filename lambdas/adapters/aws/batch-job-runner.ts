import {
  type BatchClient,
  type JobSummary,
  type KeyValuePair,
  ListJobsCommand,
  type ResourceRequirement,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import {
  BATCH_NAME_PATTERN,
  BATCH_RETRY_RULES,
  batchAttemptTimeoutSeconds,
} from '../../core/config/batch-job-settings.js';
import { JOB_ENV } from '../../core/config/environment-names.js';
import { PipelineError } from '../../core/errors.js';
import type { JobRunner, JobRunState, JobSpec } from '../../core/ports/job-runner.js';
import { batchFailureClass } from './batch-failure-class.js';
import { JOB_PARAMETER } from './batch-job-environment.js';

/** Job queues and job definition of one stage (`BATCH_JOB_TARGETS`). */
export interface BatchJobTarget {
  readonly jobQueue: string;
  readonly jobDefinition: string;
  /**
   * The stage's on-demand-only queue: an attempt after an infrastructure failure (a job the main
   * queue cancelled for want of Spot capacity, a reclaimed host) goes there. Absent: the main queue.
   */
  readonly onDemandJobQueue?: string | undefined;
}

export interface BatchJobRunnerOptions {
  readonly client: BatchClient;
  /** Per stage name. */
  readonly targets: Readonly<Record<string, BatchJobTarget>>;
  /** Environment added to every job (e.g. `L1_RPC_URLS` when the URLs are not Batch secrets). */
  readonly environment?: Readonly<Record<string, string>>;
}

/** A job that cannot be submitted as described (unknown stage, invalid name). */
export class JobSubmitError extends PipelineError {
  override readonly name: string = 'JobSubmitError';
}

/**
 * JobRunner over AWS Batch (the devnet's Batch stand-in locally). One SubmitJob per group attempt
 * under its deterministic name (`range-100-130-a1`): the job description travels as container
 * environment (read by `batch-jobs/entrypoint.ts`) and as `parameters` (echoed back in the job
 * state change event). Before submitting it looks the name up in the stage's queue, so a redelivered
 * submit returns the existing job instead of starting a second run.
 *
 * Batch-level retries only cover attempts that never got a fair run (`BATCH_RETRY_RULES`), up to
 * the executor's `attempts`; prover failures exit immediately and the core's group policy (retry,
 * bisect) decides. A group's attempt after an infrastructure failure is submitted to the stage's
 * on-demand-only queue when it has one, because Batch spills from Spot to on-demand only at Spot's
 * maxvCpus, never when Spot capacity is short. Array jobs are not used: one job per group.
 */
export class BatchJobRunner implements JobRunner {
  private readonly client: BatchClient;
  private readonly targets: Readonly<Record<string, BatchJobTarget>>;
  private readonly environment: Readonly<Record<string, string>>;

  constructor(options: BatchJobRunnerOptions) {
    this.client = options.client;
    this.targets = options.targets;
    this.environment = options.environment ?? {};
  }

  async submit(spec: JobSpec): Promise<{ jobId: string }> {
    const target = this.targets[spec.stage];
    if (target === undefined) {
      throw new JobSubmitError(`no Batch job queue/definition for stage "${spec.stage}"`, {
        details: `BATCH_JOB_TARGETS knows: ${Object.keys(this.targets).join(', ') || 'nothing'}`,
      });
    }
    if (!BATCH_NAME_PATTERN.test(spec.name)) {
      throw new JobSubmitError(
        `job name "${spec.name}" is not a valid Batch job name (letters, digits, - and _, at most 128, starting alphanumeric)`,
      );
    }
    const jobQueue =
      (spec.afterInfrastructureFailure === true || spec.queue === 'on-demand') &&
      target.onDemandJobQueue !== undefined
        ? target.onDemandJobQueue
        : target.jobQueue;
    // A claim written moments ago by the caller has no run yet (`JobSpec.claimedJustNow`).
    if (spec.claimedJustNow !== true) {
      const existing = (await this.jobsNamed(jobQueue, spec.name))[0]?.jobId;
      if (existing !== undefined) return { jobId: existing };
    }
    const result = await this.client.send(
      new SubmitJobCommand(
        submitJobInput(spec, { jobQueue, jobDefinition: target.jobDefinition }, this.environment),
      ),
    );
    if (result.jobId === undefined)
      throw new JobSubmitError(`SubmitJob for "${spec.name}" returned no jobId`);
    return { jobId: result.jobId };
  }

  /**
   * The state of the job named `name` in the stage's queue, else its on-demand-only queue (ListJobs
   * by name returns every status). Should there be several runs under the name, an active one wins,
   * then a succeeded one.
   */
  async state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState> {
    const target = this.targets[job.stage];
    if (target === undefined) return { state: 'unknown' };
    let runs = await this.jobsNamed(target.jobQueue, job.name);
    if (runs.length === 0 && target.onDemandJobQueue !== undefined)
      runs = await this.jobsNamed(target.onDemandJobQueue, job.name);
    const active = runs.filter((run) => run.status !== 'SUCCEEDED' && run.status !== 'FAILED');
    if (active.length > 0) return activeState(active);
    const succeeded = runs.find((run) => run.status === 'SUCCEEDED');
    if (succeeded !== undefined) return { state: 'succeeded', ...runDuration(succeeded) };
    const failed = runs.find((run) => run.status === 'FAILED');
    if (failed === undefined) return { state: 'unknown' };
    const reasons = [failed.statusReason, failed.container?.reason].filter(
      (r): r is string => r !== undefined && r !== '',
    );
    const failureClass = batchFailureClass(reasons, failed.container?.exitCode);
    return reasons.length === 0
      ? { state: 'failed', failureClass, ...runDuration(failed) }
      : { state: 'failed', reason: reasons.join('; '), failureClass, ...runDuration(failed) };
  }

  /** TerminateJob for every active run named `name` in the stage's queue and its on-demand-only queue. */
  async terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number> {
    const target = this.targets[job.stage];
    if (target === undefined) return 0;
    const queues = [
      target.jobQueue,
      ...(target.onDemandJobQueue === undefined ? [] : [target.onDemandJobQueue]),
    ];
    let stopped = 0;
    for (const jobQueue of queues) {
      for (const run of await this.jobsNamed(jobQueue, job.name)) {
        if (run.jobId === undefined || run.status === 'SUCCEEDED' || run.status === 'FAILED') continue;
        await this.client.send(new TerminateJobCommand({ jobId: run.jobId, reason }));
        stopped += 1;
      }
    }
    return stopped;
  }

  private async jobsNamed(jobQueue: string, jobName: string): Promise<JobSummary[]> {
    const result = await this.client.send(
      new ListJobsCommand({ jobQueue, filters: [{ name: 'JOB_NAME', values: [jobName] }] }),
    );
    return (result.jobSummaryList ?? []).filter((job) => job.jobName === jobName);
  }
}

/** A finished run's `startedAt` → `stoppedAt` (epoch ms in ListJobs), when Batch reports both. */
function runDuration(run: JobSummary): { durationSeconds?: number } {
  const { startedAt, stoppedAt } = run;
  if (startedAt === undefined || stoppedAt === undefined || stoppedAt < startedAt) return {};
  return { durationSeconds: (stoppedAt - startedAt) / 1000 };
}

/**
 * An active job as the core sees it: `runnable` (since its creation, with Batch's status reason such
 * as `CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY`) when every active run waits to be placed.
 */
function activeState(active: readonly JobSummary[]): JobRunState {
  const waiting = active.every((run) => run.status === 'RUNNABLE');
  const first = active[0];
  const started = active.find((run) => run.startedAt !== undefined)?.startedAt;
  if (started !== undefined) return { state: 'active', startedAt: new Date(started).toISOString() };
  if (!waiting || first?.createdAt === undefined) return { state: 'active' };
  const since = new Date(first.createdAt).toISOString();
  const reason = first.statusReason;
  return {
    state: 'active',
    runnable: reason === undefined || reason === '' ? { since } : { since, reason },
  };
}

/** The SubmitJob request of one job spec. */
function submitJobInput(
  spec: JobSpec,
  target: BatchJobTarget,
  extraEnvironment: Readonly<Record<string, string>> = {},
): ConstructorParameters<typeof SubmitJobCommand>[0] {
  const { executor } = spec;
  const environment: Record<string, string> = {
    ...extraEnvironment,
    [JOB_ENV.stage]: spec.stage,
    [JOB_ENV.groupId]: spec.groupId,
    [JOB_ENV.attempt]: String(spec.attempt),
    [JOB_ENV.program]: executor.program,
    [JOB_ENV.inputKey]: spec.inputKey,
    [JOB_ENV.outputKey]: spec.outputKey,
    [JOB_ENV.timeoutSeconds]: String(executor.timeoutSeconds),
  };
  if (executor.backend !== 'mock' && executor.command !== undefined) {
    environment[JOB_ENV.proverCommand] = JSON.stringify(executor.command);
  }
  const resourceRequirements: ResourceRequirement[] = [
    { type: 'VCPU', value: String(executor.resources.vcpus) },
    { type: 'MEMORY', value: String(executor.resources.memoryMiB) },
  ];
  if (executor.resources.gpus > 0)
    resourceRequirements.push({ type: 'GPU', value: String(executor.resources.gpus) });
  return {
    jobName: spec.name,
    jobQueue: target.jobQueue,
    jobDefinition: target.jobDefinition,
    parameters: {
      [JOB_PARAMETER.stage]: spec.stage,
      [JOB_PARAMETER.groupId]: spec.groupId,
      [JOB_PARAMETER.attempt]: String(spec.attempt),
      [JOB_PARAMETER.inputKey]: spec.inputKey,
      [JOB_PARAMETER.outputKey]: spec.outputKey,
    },
    containerOverrides: {
      environment: Object.entries(environment).map(([name, value]): KeyValuePair => ({ name, value })),
      resourceRequirements,
    },
    retryStrategy: {
      attempts: executor.attempts,
      evaluateOnExit: BATCH_RETRY_RULES.map((rule) => ({ ...rule })),
    },
    timeout: { attemptDurationSeconds: batchAttemptTimeoutSeconds(executor.timeoutSeconds) },
  };
}
