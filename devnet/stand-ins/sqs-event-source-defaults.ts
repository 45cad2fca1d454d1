/** How a local SQS event source gathers records into an invocation. */
export interface SqsEventSourceBatching {
  /** Records per invocation (the mapping's BatchSize). */
  readonly batchSize: number;
  /** Longest wait after the first record for the batch to fill (MaximumBatchingWindowInSeconds × 1000). */
  readonly maxBatchingWindowMs: number;
  /**
   * Pause between receives on an empty queue when no send wakes the source: how soon a message that
   * becomes visible again (visibility timeout, delay, redrive) is delivered.
   */
  readonly idlePollMs: number;
}

/**
 * The local event sources' batching: up to 10 records per invocation as the dispatcher's mappings on
 * AWS (cdk/constructs/orchestrator.ts, BatchSize 10), but no batching window, where AWS gathers for
 * 1 s (MaximumBatchingWindowInSeconds 1, which fills the batches that five concurrent pollers would
 * otherwise split). Measured locally (`npm run bench`): a 1 s window merged almost nothing (the
 * watcher already sends a range group's blocks in one SendMessageBatch, which one receive takes
 * whole; range proofs arrive ~2 s apart, aggregate proofs ~10 s apart): dispatcher 6.19 → 6.14 calls
 * per block, while every batch that is not full waits the whole window, up to 3 s per proposal
 * (three hops; first proposal 16.9 → 22.4 s). A send wakes the source at once, so with no window a
 * record is delivered as soon as it is sent. Tests pass a window to exercise the AWS behaviour.
 */
export const SQS_EVENT_SOURCE_DEFAULTS: SqsEventSourceBatching = {
  batchSize: 10,
  maxBatchingWindowMs: 0,
  idlePollMs: 200,
};
