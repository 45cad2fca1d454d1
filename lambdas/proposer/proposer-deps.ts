import type { Address, Hex, LocalAccount } from 'viem';
import type { ChainClient as PublicClient } from '../chain/chain-client.js';
import type { TxOutcome } from '../chain/tx-manager/types.js';
import type { PipelineConfig } from '../core/config/schema.js';
import type { PauseState } from '../core/control/pause-switch.js';
import type { ProposerGateway } from '../core/orchestrator/proposer-gateway.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { Clock } from '../core/ports/clock.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { Logger, Metrics } from '../core/ports/telemetry.js';
import type { ProposerWaitReason } from './proposer-wait.js';

/**
 * Everything one proposer run needs, built once by the composition root (no DI container).
 *
 * @example
 * const report = await runProposer({ config, store, blobs, l1, l2, account, oracleAddress,
 *   orchestrator, logger, metrics, clock: systemClock, invocationId: context.awsRequestId,
 *   deadline: Date.now() + context.getRemainingTimeInMillis() - 10_000 });
 */
export interface ProposerDeps {
  readonly config: PipelineConfig;
  readonly store: StateStore;
  /** Where `payloadKey` envelopes keep their AggregateResult. */
  readonly blobs: BlobStore;
  /** L1 client over `createRpcTransport` (failover, per-call timeouts). */
  readonly l1: PublicClient;
  /** L2 client, for re-checking claimed output roots (`config.proposer.verifyOutputRoot`). */
  readonly l2: PublicClient;
  /** The signer: `createKmsAccount` on AWS, `createLocalAccount` locally. */
  readonly account: LocalAccount;
  readonly oracleAddress: Address;
  /**
   * The rollup config hash the programs prove with (`ROLLUP_CONFIG_HASH`); when given, a run refuses
   * to start against an oracle config holding another (`OracleRollupConfigMismatchError`).
   */
  readonly rollupConfigHash?: Hex;
  /** The orchestrator as the proposer sees it: checkpoint requests, pending proofs, reopening. */
  readonly orchestrator: ProposerGateway;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Owner written into the signer lease (e.g. the Lambda request id); unique per invocation. */
  readonly invocationId: string;
  /**
   * Epoch ms by which the run returns (Lambda: remaining time minus a margin). Capped by the
   * lease expiry. @default now + lease − 5 s
   */
  readonly deadline?: number;
  /** Pause between chain polls while waiting for a receipt. @default 1000 */
  readonly pollIntervalMs?: number;
}

/** A stored or reused L1 checkpoint. */
export interface CheckpointReport {
  readonly l1BlockNumber: bigint;
  readonly l1BlockHash: Hex;
  /** True when an existing, still valid checkpoint was reused (no tx). */
  readonly reused: boolean;
  readonly txHash?: Hex;
  readonly gasUsed?: bigint;
}

export interface ProposalReport {
  readonly messageId: string;
  readonly l2BlockNumber: bigint;
  readonly outputRoot: Hex;
  readonly l1BlockNumber: bigint;
  readonly txHash: Hex;
  readonly gasUsed: bigint;
}

export interface RefusalReport {
  readonly messageId: string;
  readonly reason: string;
  /**
   * Set for a proof made against a checkpoint an L1 reorg replaced: `reopened` when its group was
   * handed back to be proven again under a new checkpoint (the message is gone), else
   * `not-reopenable` (the message stays pending; an operator must look).
   */
  readonly groupReopen?: 'reopened' | 'not-reopenable';
}

/** What one run did; expected outcomes are values here, not errors. */
export interface ProposerRunReport {
  /**
   * `busy`: another invocation holds the signer lease; `paused`: `pause/proposer` is set
   * (`pausedProposerReport`). Either way this run sent nothing.
   */
  readonly outcome: 'done' | 'busy' | 'paused';
  readonly busyOwner?: string;
  /** The switch that paused this run: reason, who set it, since when. */
  readonly paused?: PauseState;
  /** Oracle `latestBlockNumber()` at the end of the run. */
  readonly latestBlockNumber?: bigint;
  readonly checkpoint?: CheckpointReport;
  /** Aggregate groups handed to the orchestrator with the checkpoint. */
  readonly groupsSubmitted: string[];
  readonly proposed: ProposalReport[];
  /** Messages already covered by the oracle, marked `skipped` (or `proposed` when it was ours). */
  readonly skipped: string[];
  /** Messages that start after the oracle's latest block: left pending. */
  readonly waiting: string[];
  /** Aggregates that cannot be proposed as they are (vkey/config mismatch, stale checkpoint, wrong root, revert). */
  readonly refused: RefusalReport[];
  /** Set when the oracle's mode lets no proposal through (optimistic mode): checkpoints were still served. */
  readonly proposalsPaused?: ProposerWaitReason;
  /** A transaction this run could not finish (pending, blocked, capped, replaced): the next run resumes. */
  readonly unfinishedTx?: TxOutcome;
}
