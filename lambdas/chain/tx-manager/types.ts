import type { Abi, Address, Hex, LocalAccount } from 'viem';
import type { Clock } from '../../core/ports/clock.js';
import type { StateStore } from '../../core/ports/state-store.js';
import type { Logger } from '../../core/ports/telemetry.js';
import type { ChainClient as PublicClient } from '../chain-client.js';

/** Fee and waiting rules of the transaction manager (from `config.proposer`, see `txPolicyFromConfig`). */
export interface TxPolicy {
  /** Hard cap on `maxFeePerGas` (wei): never signed above it. */
  readonly maxFeePerGas: bigint;
  /** Hard cap on `maxPriorityFeePerGas` (wei). */
  readonly maxPriorityFeePerGas: bigint;
  /** Minimum raise of both tip and max fee on a replacement (≥ 10: nodes refuse less). */
  readonly feeBumpPercent: number;
  /** An unmined attempt is replaced with bumped fees after this long. */
  readonly resubmissionTimeoutMs: number;
  /** Blocks on top of (and including) the receipt's block before a tx counts as done. */
  readonly confirmations: number;
  /** Pause between chain polls while waiting. */
  readonly pollIntervalMs: number;
  /** Gas limit = estimate × (100 + margin) / 100. */
  readonly gasMarginPercent: number;
  /**
   * How many blocks below the head a settled tx is still checked against L1 reorgs
   * (`reopenReorgedTransactions`); deeper ones are taken as final. Never below `confirmations`.
   */
  readonly reorgWindowBlocks: number;
}

/** What the transaction manager needs: one explicit setup object. */
export interface TxManagerDeps {
  readonly store: StateStore;
  /** L1 public client (over `createRpcTransport`: failover + per-call timeouts). */
  readonly client: PublicClient;
  readonly account: LocalAccount;
  readonly chainId: number;
  readonly policy: TxPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** @default a setTimeout promise */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface TxRequest {
  /**
   * Deterministic name of what the tx does (e.g. `proposal/1200`): an open tx with the same intent
   * is resumed instead of signing a new one.
   */
  readonly intentId: string;
  readonly to: Address;
  readonly data: Hex;
  readonly value?: bigint;
  /** Skip estimation and use this gas limit. */
  readonly gas?: bigint;
  /** ABI used to decode a revert reason (Error(string) and Panic are always known). */
  readonly abi?: Abi;
  /** Epoch ms: stop waiting then and return `pending` (the record stays open for the next run). */
  readonly deadline: number;
}

export interface TxAttempt {
  readonly hash: Hex;
  readonly raw: Hex;
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
  readonly sentAt: string;
}

/** A transaction as the state store keeps it (`tx/<signer>/<nonce>`), written BEFORE broadcasting. */
export interface TxRecord {
  readonly id: string;
  readonly version: number;
  readonly status: TxRecordStatus;
  readonly signer: Address;
  readonly nonce: number;
  readonly intentId: string;
  readonly to: Address;
  readonly data: Hex;
  readonly value: bigint;
  readonly gas: bigint;
  /** Every signed attempt for this nonce, oldest first; the last one is the current. */
  readonly attempts: readonly TxAttempt[];
  readonly outcome?: TxFinalOutcome;
}

/** `sent`: recorded, maybe broadcast, not final. The others are final. */
export type TxRecordStatus = 'sent' | 'mined' | 'replaced' | 'failed';

export interface TxMined {
  readonly status: 'mined';
  readonly txId: string;
  readonly intentId: string;
  readonly hash: Hex;
  readonly nonce: number;
  readonly blockNumber: bigint;
  readonly gasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  /** Signed attempts for this nonce (1 = never replaced). */
  readonly attempts: number;
}

export interface TxReverted {
  readonly status: 'reverted';
  readonly intentId: string;
  /** Decoded revert, e.g. `L2OutputOracle: block number must be greater than...` or `ErrorName(args)`. */
  readonly reason: string;
  /** True when the revert was found by estimation and nothing was sent. */
  readonly simulated: boolean;
  readonly txId?: string;
  readonly hash?: Hex;
  readonly nonce?: number;
  readonly blockNumber?: bigint;
  readonly gasUsed?: bigint;
}

/** The nonce was consumed by a transaction that is none of our attempts. */
export interface TxReplaced {
  readonly status: 'replaced';
  readonly txId: string;
  readonly intentId: string;
  readonly nonce: number;
  readonly hashes: readonly Hex[];
}

/** The fees needed (to send, or to bump a stuck attempt) exceed the configured caps. */
export interface TxGaveUpAtFeeCap {
  readonly status: 'gave-up-at-fee-cap';
  readonly intentId: string;
  readonly neededMaxFeePerGas: bigint;
  readonly neededMaxPriorityFeePerGas: bigint;
  readonly capMaxFeePerGas: bigint;
  readonly capMaxPriorityFeePerGas: bigint;
  /** Set when an attempt is in flight: it stays recorded and is watched again by the next run. */
  readonly txId?: string;
  readonly hash?: Hex;
}

/** The deadline came first; the record stays open and the next run resumes it. */
export interface TxPending {
  readonly status: 'pending';
  readonly txId: string;
  readonly intentId: string;
  readonly hash: Hex;
  readonly nonce: number;
}

/** An earlier transaction of this signer (another intent) is still open, so nothing new was sent. */
export interface TxBlocked {
  readonly status: 'blocked';
  readonly intentId: string;
  readonly by: TxPending | TxGaveUpAtFeeCap;
}

export type TxFinalOutcome = TxMined | TxReverted | TxReplaced;
export type TxOutcome = TxFinalOutcome | TxGaveUpAtFeeCap | TxPending | TxBlocked;
