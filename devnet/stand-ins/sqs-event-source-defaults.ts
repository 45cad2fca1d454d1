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
 * The batching of the dispatcher's event source mappings on AWS (cdk/constructs/orchestrator.ts),
 * which the local event source uses unless told otherwise: up to 10 records per invocation,
 * gathered for at most 1 s after the first (the smallest window above none that Lambda offers; it
 * takes whole seconds). test/cdk pins the synthesized mapping to these values.
 */
export const SQS_EVENT_SOURCE_DEFAULTS: SqsEventSourceBatching = {
  batchSize: 10,
  maxBatchingWindowMs: 1000,
  idlePollMs: 200,
};
