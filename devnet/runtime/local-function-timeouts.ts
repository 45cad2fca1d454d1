import type { PipelineConfig } from '../../lambdas/core/config/schema.js';

/** Seconds a proposer invocation leaves before its lease expires (at least this, or 20 % of the lease). */
const PROPOSER_LEASE_MARGIN_SECONDS = 5;

/** Lambda timeouts of the locally invoked handlers, in seconds (the context's remaining time). */
export interface LocalFunctionTimeouts {
  readonly watcher: number;
  readonly dispatcher: number;
  readonly jobState: number;
  readonly proposer: number;
}

/**
 * The timeouts the deployed functions have: 60 s for the watcher, the dispatcher (the queues'
 * visibility timeout is a multiple of it) and job-state; the proposer's ends a margin before its signer
 * lease (`proposer.leaseSeconds`) expires, so no invocation outlives the lease it holds.
 */
export function localFunctionTimeouts(config: PipelineConfig): LocalFunctionTimeouts {
  const lease = config.proposer.leaseSeconds;
  const margin = Math.max(PROPOSER_LEASE_MARGIN_SECONDS, Math.ceil(lease * 0.2));
  return {
    watcher: 60,
    dispatcher: 60,
    jobState: 60,
    proposer: Math.max(1, lease - margin),
  };
}
