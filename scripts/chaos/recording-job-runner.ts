import type { MemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.js';
import type { MemoryJobRunner } from '../../lambdas/adapters/memory/memory-job-runner.js';
import type { JobRunner, JobRunState, JobSpec } from '../../lambdas/core/ports/job-runner.js';

/** One submit call as the runner saw it, with the input document at that moment. */
export interface SubmitRecord {
  readonly spec: JobSpec;
  readonly input: string | undefined;
}

/**
 * The orchestrator's JobRunner in the simulation: the MemoryJobRunner (Batch-like dedup by name),
 * with every submit call recorded with the input blob it would start on, so the checker can tell
 * one job started twice for different inputs, and a crash check before the submit is made.
 */
export class RecordingJobRunner implements JobRunner {
  readonly calls: SubmitRecord[] = [];

  constructor(
    readonly inner: MemoryJobRunner,
    private readonly blobs: MemoryBlobStore,
    private readonly beforeSubmit: (spec: JobSpec) => void,
  ) {}

  async submit(spec: JobSpec): Promise<{ jobId: string }> {
    this.beforeSubmit(spec);
    const body = await this.blobs.get(spec.inputKey);
    this.calls.push({
      spec: structuredClone(spec),
      input: body === undefined ? undefined : new TextDecoder().decode(body),
    });
    return this.inner.submit(spec);
  }

  state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState> {
    return this.inner.state(job);
  }

  terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number> {
    return this.inner.terminate(job, reason);
  }
}
