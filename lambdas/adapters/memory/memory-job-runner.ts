import type { JobRunner, JobRunState, JobSpec } from '../../core/ports/job-runner.js';

/**
 * JobRunner that records submissions and runs nothing: tests complete jobs by calling
 * `finishJob`. A second submit with a known name returns the first job id (Batch-like dedup).
 */
export class MemoryJobRunner implements JobRunner {
  /** One entry per distinct job name, in submission order. */
  readonly submitted: JobSpec[] = [];
  /** Every TerminateJob that stopped an active job, in order. */
  readonly terminated: { readonly name: string; readonly reason: string }[] = [];
  /** Every submit call, including repeats. */
  submitCalls = 0;
  /** Called before each submit is counted; throw from it to simulate a crash or an API failure. */
  beforeSubmit: ((spec: JobSpec) => void) | undefined;
  private readonly ids = new Map<string, string>();
  private readonly states = new Map<string, JobRunState>();

  async submit(spec: JobSpec): Promise<{ jobId: string }> {
    await Promise.resolve();
    this.beforeSubmit?.(spec);
    this.submitCalls += 1;
    const existing = this.ids.get(spec.name);
    if (existing !== undefined) return { jobId: existing };
    const jobId = `job-${this.ids.size + 1}`;
    this.ids.set(spec.name, jobId);
    this.submitted.push(structuredClone(spec));
    return { jobId };
  }

  /** Submitted jobs are `active` until a test says otherwise; unknown names are `unknown`. */
  async state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState> {
    await Promise.resolve();
    return this.states.get(job.name) ?? (this.ids.has(job.name) ? { state: 'active' } : { state: 'unknown' });
  }

  /** TerminateJob: an active job becomes `failed` with the reason; a finished or unknown one is left (0). */
  async terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number> {
    await Promise.resolve();
    if (!this.ids.has(job.name) || (await this.state(job)).state !== 'active') return 0;
    this.terminated.push({ name: job.name, reason });
    this.states.set(job.name, { state: 'failed', reason });
    return 1;
  }

  /** Sets what `state` answers for a job name (a finished job whose event was lost). */
  setState(name: string, state: JobRunState): void {
    this.states.set(name, state);
  }

  /** The submitted spec with this name, if any. */
  byName(name: string): JobSpec | undefined {
    return this.submitted.find((s) => s.name === name);
  }
}
