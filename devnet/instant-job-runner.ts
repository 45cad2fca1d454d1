import { createHash } from 'node:crypto';
import { encodeAggregationOutputs } from '../batch-jobs/programs/aggregate/aggregation-outputs.js';
import { encodeBootInfo } from '../batch-jobs/programs/range/boot-info.js';
import type { AggregateResult, L1Checkpoint } from '../lambdas/core/executor/aggregate-contract.js';
import type { RangeResult } from '../lambdas/core/executor/range-contract.js';
import { keyInterval } from '../lambdas/core/messages/ids.js';
import type { JobCompletion } from '../lambdas/core/orchestrator/group/job-completion.js';
import type { BlobStore } from '../lambdas/core/ports/blob-store.js';
import type { JobRunner, JobRunState, JobSpec } from '../lambdas/core/ports/job-runner.js';

/** The synthetic proving context every instant result is made against. */
export interface InstantProvingContext {
  readonly rollupConfigHash: string;
  /** The checkpoint the aggregate groups are submitted with (its hash is the aggregate `l1Head`). */
  readonly checkpoint: L1Checkpoint;
  readonly rangeVkey: string;
  readonly proverAddress: string;
}

export interface InstantJobRunnerOptions {
  /** Where the prover writes its outputs (its own client, so its calls are not the orchestrator's). */
  readonly blobs: BlobStore;
  readonly context: InstantProvingContext;
  /** What the job-state handler does with a Batch completion event (`finishJob` over the orchestrator). */
  readonly complete: (completion: JobCompletion) => Promise<unknown>;
}

interface InstantJob {
  readonly jobId: string;
  state: JobRunState;
  /** TerminateJob's reason, when it came before the completion was handed over. */
  terminated?: string;
}

/**
 * A JobRunner whose jobs finish at once: `submit` writes a schema-valid but SYNTHETIC result
 * document to the job's `outputKey` and then, detached from the submit like a Batch state-change
 * event, hands a SUCCEEDED completion to `complete`. Range results carry output roots derived from
 * the block number, so consecutive ranges share roots; aggregate results chain the same roots.
 * Nothing is proven or verified: this exists to measure orchestration alone (the orchestrator never
 * verifies proofs). A second submit under a known name starts nothing, as the port requires.
 */
export class InstantJobRunner implements JobRunner {
  private readonly jobs = new Map<string, InstantJob>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Errors thrown by `complete` or the output write, in order. */
  readonly errors: unknown[] = [];

  constructor(private readonly options: InstantJobRunnerOptions) {}

  async submit(spec: JobSpec): Promise<{ jobId: string }> {
    const known = this.jobs.get(spec.name);
    if (known !== undefined) return { jobId: known.jobId };
    const job: InstantJob = { jobId: `instant-${this.jobs.size + 1}`, state: { state: 'active' } };
    this.jobs.set(spec.name, job);
    const run = this.run(spec, job).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return { jobId: job.jobId };
  }

  async state(job: { readonly stage: string; readonly name: string }): Promise<JobRunState> {
    return this.jobs.get(job.name)?.state ?? { state: 'unknown' };
  }

  /** TerminateJob: a job whose completion is not handed over yet ends FAILED with the reason instead. */
  async terminate(job: { readonly stage: string; readonly name: string }, reason: string): Promise<number> {
    const known = this.jobs.get(job.name);
    if (known === undefined || known.state.state !== 'active') return 0;
    known.terminated = reason;
    return 1;
  }

  /** Jobs submitted so far. */
  get submitted(): number {
    return this.jobs.size;
  }

  /** Resolves once every completion started so far has been handed over. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async run(spec: JobSpec, job: InstantJob): Promise<void> {
    try {
      await this.options.blobs.putJson(spec.outputKey, this.resultFor(spec));
      const base = { stage: spec.stage, groupId: spec.groupId, attempt: spec.attempt, jobName: spec.name };
      if (job.terminated !== undefined) {
        job.state = { state: 'failed', reason: job.terminated };
        await this.options.complete({
          ...base,
          status: 'FAILED',
          reason: job.terminated,
          durationSeconds: 0,
        });
        return;
      }
      job.state = { state: 'succeeded' };
      await this.options.complete({ ...base, status: 'SUCCEEDED', durationSeconds: 0 });
    } catch (error) {
      job.state = { state: 'failed', reason: (error as Error).message };
      this.errors.push(error);
    }
  }

  private resultFor(spec: JobSpec): RangeResult | AggregateResult {
    const { start, end } = keyInterval(spec.groupId.slice(spec.groupId.indexOf('/') + 1), 'range');
    const { context } = this.options;
    const common = { version: 1, start: start.toString(10), end: end.toString(10), backend: 'mock' } as const;
    if (spec.executor.program === 'range') {
      const bootInfo = {
        l1Head: syntheticWord('l1-head'),
        l2PreRoot: syntheticOutputRoot(start),
        l2PostRoot: syntheticOutputRoot(end),
        l2BlockNumber: end.toString(10),
        rollupConfigHash: context.rollupConfigHash,
      };
      return {
        ...common,
        program: 'range',
        bootInfo,
        publicValues: encodeBootInfo(bootInfo),
        proof: '0x',
        vkey: context.rangeVkey,
        proofMode: spec.executor.proofMode,
        cycles: 0,
      };
    }
    const outputs = {
      l1Head: context.checkpoint.l1BlockHash,
      l2PreRoot: syntheticOutputRoot(start),
      claimRoot: syntheticOutputRoot(end),
      claimBlockNum: end.toString(10),
      rollupConfigHash: context.rollupConfigHash,
      rangeVkeyCommitment: context.rangeVkey,
      proverAddress: context.proverAddress,
    };
    return {
      ...common,
      program: 'aggregate',
      outputs,
      publicValues: encodeAggregationOutputs(outputs),
      proof: '0x',
      aggregationVkey: syntheticWord('aggregation-vkey'),
      l1BlockNumber: context.checkpoint.l1BlockNumber,
      proofMode: spec.executor.proofMode,
      cycles: 0,
    };
  }
}

/** A synthetic bytes32 derived from a label (sha256), e.g. a fake vkey or block hash. */
export function syntheticWord(label: string): string {
  return `0x${createHash('sha256').update(`synthetic:${label}`).digest('hex')}`;
}

/** The synthetic L2 output root at block `n`: the same value wherever a range starts or ends there. */
export function syntheticOutputRoot(n: bigint): string {
  return syntheticWord(`output-root:${n}`);
}
