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
  /**
   * A reorg seen, dimension `chain` (`l1` or `l2`); counted once per reorg. The L2 watcher counts
   * the blocks whose parent differs from the block it enqueued.
   */
  reorgsDetected: 'ReorgsDetected',
  /** Depth in blocks of a reorg seen (dimension `chain`): how many blocks above the common ancestor changed. */
  reorgDepthBlocks: 'ReorgDepthBlocks',
  /**
   * Work thrown away because a reorg made it wrong (dimension `kind`: `block`, `group`, `proof`,
   * `checkpoint`, `proposal`), counted per item; `proof` also counts a collected old-branch proof
   * replaced by its re-proof after an L2 rewind (`sendBackStaleMemberHolder`).
   */
  reorgWorkInvalidated: 'ReorgWorkInvalidated',
  /** A proposal sent again because its earlier transaction left the canonical L1 chain. */
  reproposals: 'Reproposals',
  /**
   * 1 while the pipeline halts itself because a reorg went deeper than it can repair alone (an L2
   * reorg below the proposed head; a `finalized` L2 block that changed): a person must look.
   * Dimension `chain` (`l2`: the watcher reports it every run).
   */
  reorgHalted: 'ReorgHalted',
  /** A stage's GPU-hours spent today (UTC; dimension `stage`), for stages with `executor.budget`. */
  budgetSpentGpuHours: 'BudgetSpentGpuHours',
  /** 1 while a stage's new submissions wait because today's budget is spent (dimension `stage`), else 0. */
  budgetWaiting: 'BudgetWaiting',
  /** Hedge jobs submitted for stragglers (dimension `stage`). */
  hedgesStarted: 'HedgesStarted',
  /** Hedged attempts whose hedge's result won the race (dimension `stage`). */
  hedgesWon: 'HedgesWon',
  /** GPU-seconds the losing job of a hedged attempt ran before it was terminated (dimension `stage`). */
  hedgesWasted: 'HedgesWasted',
  /** 1 while a pause switch holds work back (dimension `target`: `watcher`, `proposer`, `stage:<name>`). */
  paused: 'Paused',
  /**
   * Two provers of one span returned different claims (BootInfo) or one returned an invalid result
   * under a join stage's `all` policy (dimension `stage`: the join stage): the span halts, a person must look.
   */
  proverDisagreement: 'ProverDisagreement',
  /** A join past its timeout that waits for a missing side which can still arrive (`group/join-wait.ts`). */
  joinWaiting: 'JoinWaiting',
  /**
   * A join group whose member result cannot be read (its blob missing or not JSON; dimension
   * `stage`): an infrastructure fault, the group stays collected and every run retries it.
   */
  joinMemberUnreadable: 'JoinMemberUnreadable',
  /**
   * A prover's result a join stage under policy `first` refused as invalid (dimension `stage`): that
   * prover's failure; the span waits for another prover's result (`join/join-first-without-valid.ts`).
   */
  joinResultInvalid: 'JoinResultInvalid',
} as const;

export const METRIC_NAMESPACE = 'RollupProver';

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Metrics (Powertools Metrics / EMF on AWS). `dimensions` are low-cardinality (stage, outcome). */
export interface Metrics {
  count(name: MetricName, value?: number, dimensions?: Record<string, string>): void;
  gauge(name: MetricName, value: number, dimensions?: Record<string, string>): void;
}
