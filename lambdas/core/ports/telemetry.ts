/** Structured logs (Powertools Logger on AWS). Attributes are JSON-serialisable; never secrets. */
export interface Logger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Metric names the dashboard and alarms read; one place so CDK and runtime agree. */
export const METRIC = {
  l2Head: 'L2HeadBlock',
  blocksEnqueued: 'BlocksEnqueued',
  enqueuedHead: 'EnqueuedHeadBlock',
  provenHead: 'ProvenHeadBlock',
  aggregatedHead: 'AggregatedHeadBlock',
  proposedHead: 'ProposedHeadBlock',
  proposalLagBlocks: 'ProposalLagBlocks',
  proposalLagSeconds: 'ProposalLagSeconds',
  jobSucceeded: 'JobSucceeded',
  jobFailed: 'JobFailed',
  /** Failed attempts that never got a fair run (image pull, staging, out of memory, RPC outage). */
  infrastructureFailures: 'InfrastructureFailures',
  /** 1 while a stage's circuit breaker holds new submissions back (infrastructure failing), else 0. */
  breakerOpen: 'CircuitBreakerOpen',
  /** 1 while the proposer cannot propose until a person acts (signer not approved, oracle config missing). */
  proposerWaiting: 'ProposerWaiting',
  jobDurationSeconds: 'JobDurationSeconds',
  jobsRunnableTooLong: 'JobsRunnableTooLong',
  groupAbandoned: 'GroupAbandoned',
  proposals: 'Proposals',
  proposalGasUsed: 'ProposalGasUsed',
  proposerBalanceEth: 'ProposerBalanceEth',
  duplicateDeliveries: 'DuplicateDeliveries',
  /** The watcher saw an L2 block whose parent differs from the block it enqueued (it stops there). */
  reorgsDetected: 'ReorgsDetected',
} as const;

export const METRIC_NAMESPACE = 'RollupProver';

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Metrics (Powertools Metrics / EMF on AWS). `dimensions` are low-cardinality (stage, outcome). */
export interface Metrics {
  count(name: MetricName, value?: number, dimensions?: Record<string, string>): void;
  gauge(name: MetricName, value: number, dimensions?: Record<string, string>): void;
}
