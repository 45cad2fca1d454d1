import type { Hex } from 'viem';
import { parseGwei } from 'viem';
import type { ProposerConfig } from '../../core/config/schema.js';
import type { TxGaveUpAtFeeCap, TxPolicy } from './types.js';

export interface Fees {
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
}

/** Fees to use, or the fees that would have been needed when they exceed a cap. */
export type FeeDecision =
  | { readonly kind: 'ok'; readonly fees: Fees }
  | { readonly kind: 'over-cap'; readonly needed: Fees };

/**
 * Fees for a first attempt: the suggested tip (capped) and a max fee of twice the base fee plus the
 * tip, capped. Over the cap only when even the current base fee plus the tip does not fit: then the
 * tx could not be included at all and nothing is sent.
 */
export function initialFees(baseFeePerGas: bigint, suggestedTip: bigint, policy: TxPolicy): FeeDecision {
  const tip = minBig(suggestedTip, policy.maxPriorityFeePerGas);
  const wanted = 2n * baseFeePerGas + tip;
  if (baseFeePerGas + tip > policy.maxFeePerGas) {
    return { kind: 'over-cap', needed: { maxFeePerGas: baseFeePerGas + tip, maxPriorityFeePerGas: tip } };
  }
  return {
    kind: 'ok',
    fees: { maxFeePerGas: minBig(wanted, policy.maxFeePerGas), maxPriorityFeePerGas: tip },
  };
}

/**
 * Fees for a replacement of `previous` (same nonce): both tip and max fee raised by at least
 * `feeBumpPercent` (rounded up; nodes refuse a replacement that raises either by less than 10%),
 * and the max fee also covering twice the current base fee. Over the cap when the minimum raise
 * itself does not fit under the caps.
 */
export function bumpedFees(previous: Fees, baseFeePerGas: bigint, policy: TxPolicy): FeeDecision {
  const factor = BigInt(100 + policy.feeBumpPercent);
  const tip = ceilDiv(previous.maxPriorityFeePerGas * factor, 100n);
  const minMax = ceilDiv(previous.maxFeePerGas * factor, 100n);
  const wantedMax = maxBig(minMax, 2n * baseFeePerGas + tip);
  if (tip > policy.maxPriorityFeePerGas || minMax > policy.maxFeePerGas) {
    return { kind: 'over-cap', needed: { maxFeePerGas: wantedMax, maxPriorityFeePerGas: tip } };
  }
  return {
    kind: 'ok',
    fees: { maxFeePerGas: minBig(wantedMax, policy.maxFeePerGas), maxPriorityFeePerGas: tip },
  };
}

/**
 * The `gave-up-at-fee-cap` outcome: the `needed` fees next to the policy's caps, and the attempt in
 * flight (`txId`, `hash`) when there is one.
 */
export function gaveUpAtFeeCap(
  intentId: string,
  needed: Fees,
  policy: TxPolicy,
  inFlight?: { readonly txId: string; readonly hash: Hex },
): TxGaveUpAtFeeCap {
  return {
    status: 'gave-up-at-fee-cap',
    intentId,
    neededMaxFeePerGas: needed.maxFeePerGas,
    neededMaxPriorityFeePerGas: needed.maxPriorityFeePerGas,
    capMaxFeePerGas: policy.maxFeePerGas,
    capMaxPriorityFeePerGas: policy.maxPriorityFeePerGas,
    ...inFlight,
  };
}

/**
 * Blocks below the head within which a settled tx is still checked for an L1 reorg: Ethereum
 * finalizes after two epochs (64 slots), so no reorg goes deeper.
 */
export const DEFAULT_REORG_WINDOW_BLOCKS = 64;

/** The tx manager's policy from `config.proposer` (gwei caps → wei, seconds → ms). */
export function txPolicyFromConfig(
  proposer: Pick<
    ProposerConfig,
    | 'maxFeePerGasGwei'
    | 'maxPriorityFeePerGasGwei'
    | 'feeBumpPercent'
    | 'resubmissionTimeoutSeconds'
    | 'confirmations'
  >,
  overrides: Partial<Pick<TxPolicy, 'pollIntervalMs' | 'gasMarginPercent' | 'reorgWindowBlocks'>> = {},
): TxPolicy {
  return {
    maxFeePerGas: parseGwei(String(proposer.maxFeePerGasGwei)),
    maxPriorityFeePerGas: parseGwei(String(proposer.maxPriorityFeePerGasGwei)),
    feeBumpPercent: proposer.feeBumpPercent,
    resubmissionTimeoutMs: proposer.resubmissionTimeoutSeconds * 1000,
    confirmations: proposer.confirmations,
    pollIntervalMs: overrides.pollIntervalMs ?? 1000,
    gasMarginPercent: overrides.gasMarginPercent ?? 20,
    reorgWindowBlocks: Math.max(
      overrides.reorgWindowBlocks ?? DEFAULT_REORG_WINDOW_BLOCKS,
      proposer.confirmations,
    ),
  };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
