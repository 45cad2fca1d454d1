import type { JobRunner, JobSpec } from '../../core/ports/job-runner.js';

/**
 * JobRunner that records submissions and runs nothing: tests complete jobs by calling
 * `completeJob`. A second submit with a known name returns the first job id (Batch-like dedup).
 */
export class MemoryJobRunner implements JobRunner {
  /** One entry per distinct job name, in submission order. */
  readonly submitted: JobSpec[] = [];
  /** Every submit call, including repeats. */
  submitCalls = 0;
  /** Called before each submit is counted; throw from it to simulate a crash or an API failure. */
  beforeSubmit: ((spec: JobSpec) => void) | undefined;
  private readonly ids = new Map<string, string>();

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

  /** The submitted spec with this name, if any. */
  byName(name: string): JobSpec | undefined {
    return this.submitted.find((s) => s.name === name);
  }
}
