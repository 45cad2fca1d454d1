import type { JobCompletion } from '../../lambdas/core/orchestrator/group/job-completion.js';
import type { JobRunner, JobRunState, JobSpec } from '../../lambdas/core/ports/job-runner.js';
import type { GpuFleet, GpuInstance, Market } from './gpu-fleet.js';
import type { VirtualSchedule } from './virtual-schedule.js';

/** What the runner tells the planner about a job's life (for the per-block timeline). */
export interface JobLifeEvents {
  submitted(spec: JobSpec, at: number): void;
  started(spec: JobSpec, at: number): void;
  /** The job ended; a SUCCEEDED completion has its output written already. */
  finished(spec: JobSpec, completion: JobCompletion): Promise<void>;
}

export interface GpuPoolJobRunnerOptions {
  readonly schedule: VirtualSchedule;
  readonly fleet: GpuFleet;
  /** Modelled seconds on one GPU for the job. */
  readonly durationSeconds: (spec: JobSpec) => number;
  /** Spot first (a hedge and the retry after an infrastructure failure go on-demand, as the Batch runner does). */
  readonly spot: boolean;
  /** Writes the job's (synthetic) output document before a SUCCEEDED completion is handed over. */
  readonly writeOutput: (spec: JobSpec) => Promise<void>;
  readonly events: JobLifeEvents;
}

interface Job {
  readonly spec: JobSpec;
  readonly jobId: string;
  state: JobRunState;
  /** Set once the job ended (its scheduled end or start then does nothing). */
  ended?: boolean;
  /** While it runs: its instance and when it started. */
  onGpu?: { readonly instance: GpuInstance; readonly startedAt: number };
}

/** How a planned job ends: `terminated` carries the TerminateJob reason. */
type Fate = 'succeeded' | 'timed-out' | 'reclaimed' | { readonly terminated: string };

/** Batch's reason for a job whose host was reclaimed (an infrastructure failure by its prefix). */
export const SPOT_RECLAIM_REASON = 'Host EC2 (instance i-planner) terminated.';
/** Batch's reason for a job killed at its attempt timeout (a prover failure). */
export const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';

/**
 * The JobRunner of the planner: a FIFO queue in front of a capped GPU fleet. A job runs on an idle
 * instance of its market or waits for a new one (start + image pull); it ends after its modelled
 * duration on the virtual clock, at its executor timeout (prover failure) or at its instance's
 * Spot reclaim (infrastructure failure), whichever comes first, and its completion goes to the
 * job-state logic like a Batch event. A second submit under a known name starts nothing.
 */
export class GpuPoolJobRunner implements JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  /** Jobs submitted and not ended (queued, booting or running). */
  private active = 0;

  constructor(private readonly options: GpuPoolJobRunnerOptions) {}

  async submit(spec: JobSpec): Promise<{ jobId: string }> {
    const known = this.jobs.get(spec.name);
    if (known !== undefined) return { jobId: known.jobId };
    const job: Job = {
      spec: structuredClone(spec),
      jobId: `planned-${this.jobs.size + 1}`,
      state: { state: 'active' },
    };
    this.jobs.set(spec.name, job);
    this.queue.push(job);
    this.active += 1;
    this.options.events.submitted(spec, this.options.schedule.nowMs);
    // Placement happens after the submitting handler returns, as Batch places jobs asynchronously.
    this.options.schedule.after(0, async () => this.place());
    return { jobId: job.jobId };
  }

  /** A running job says since when it runs (`startedAt`), as Batch does. */
  async state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState> {
    const known = this.jobs.get(job.name);
    if (known === undefined) return { state: 'unknown' };
    if (known.state.state === 'active' && known.ended !== true && known.onGpu !== undefined)
      return { state: 'active', startedAt: new Date(known.onGpu.startedAt).toISOString() };
    return known.state;
  }

  /**
   * TerminateJob on the virtual clock: a queued job leaves the queue, a job on a booting instance
   * never starts (the instance goes idle), a running one stops now and frees its GPU (billed so far).
   * Each ends FAILED with `reason`, like Batch.
   */
  async terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number> {
    const known = this.jobs.get(job.name);
    if (known === undefined || known.ended === true || known.state.state !== 'active') return 0;
    const queued = this.queue.indexOf(known);
    if (queued >= 0) this.queue.splice(queued, 1);
    await this.end(known, known.onGpu?.instance, known.onGpu?.startedAt, { terminated: reason });
    return 1;
  }

  /** Jobs waiting for a GPU (queued or on a booting instance) and jobs on a GPU. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.active - this.running, running: this.running };
  }

  private observe(): void {
    const { waiting, running } = this.load;
    this.options.fleet.observe(this.options.schedule.nowMs, running, waiting);
  }

  private async place(): Promise<void> {
    const now = this.options.schedule.nowMs;
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i] as Job;
      // A hedge (queue on-demand) and a retry after an infrastructure failure run on-demand.
      const market: Market =
        this.options.spot && job.spec.afterInfrastructureFailure !== true && job.spec.queue !== 'on-demand'
          ? 'spot'
          : 'on-demand';
      const instance = this.options.fleet.acquire(now, market);
      if (instance === undefined) break;
      this.queue.splice(i, 1);
      this.options.schedule.at(Math.max(now, instance.readyAt), async () => this.start(job, instance));
    }
    this.observe();
  }

  private async start(job: Job, instance: GpuInstance): Promise<void> {
    const { schedule, fleet } = this.options;
    const now = schedule.nowMs;
    if (job.ended === true) {
      // Terminated while its instance booted: the instance is idle at once.
      fleet.release(instance, now, false);
      await this.place();
      return;
    }
    if (instance.reclaimAt <= now) {
      // Reclaimed while booting: Batch puts the job back to RUNNABLE; nothing failed.
      fleet.release(instance, instance.reclaimAt, true);
      this.queue.unshift(job);
      await this.place();
      return;
    }
    this.running += 1;
    job.onGpu = { instance, startedAt: now };
    fleet.startJob(instance, now);
    this.options.events.started(job.spec, now);
    this.observe();
    const endsAt = now + this.options.durationSeconds(job.spec) * 1000;
    const timeoutAt = now + job.spec.executor.timeoutSeconds * 1000;
    const at = Math.min(endsAt, timeoutAt, instance.reclaimAt);
    const fate: Fate = at === instance.reclaimAt ? 'reclaimed' : at === endsAt ? 'succeeded' : 'timed-out';
    schedule.at(at, async () => this.end(job, instance, now, fate));
  }

  /** Ends a job: on its GPU (`instance` and `startedAt` set) or, terminated, before it got one. */
  private async end(
    job: Job,
    instance: GpuInstance | undefined,
    startedAt: number | undefined,
    fate: Fate,
  ): Promise<void> {
    if (job.ended === true) return;
    job.ended = true;
    const { schedule, fleet, events } = this.options;
    const now = schedule.nowMs;
    this.active -= 1;
    if (instance !== undefined && startedAt !== undefined) {
      this.running -= 1;
      fleet.endJob(instance, now, fate === 'reclaimed');
    }
    const { spec } = job;
    const base = {
      stage: spec.stage,
      groupId: spec.groupId,
      attempt: spec.attempt,
      jobName: spec.name,
      durationSeconds: startedAt === undefined ? 0 : (now - startedAt) / 1000,
    };
    let completion: JobCompletion;
    if (fate === 'succeeded') {
      await this.options.writeOutput(spec);
      job.state = { state: 'succeeded' };
      completion = { ...base, status: 'SUCCEEDED' };
    } else if (typeof fate === 'object') {
      job.state = { state: 'failed', reason: fate.terminated };
      completion = { ...base, status: 'FAILED', reason: fate.terminated };
    } else {
      const failureClass = fate === 'reclaimed' ? 'infrastructure' : 'prover';
      const reason = fate === 'reclaimed' ? SPOT_RECLAIM_REASON : TIMEOUT_REASON;
      job.state = { state: 'failed', reason, failureClass };
      completion = { ...base, status: 'FAILED', reason, failureClass };
    }
    await this.place();
    await events.finished(spec, completion);
  }
}
