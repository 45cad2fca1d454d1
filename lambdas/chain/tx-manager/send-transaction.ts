import { PipelineError } from '../../core/errors.js';
import { broadcastRawTransaction } from './broadcast-raw-transaction.js';
import { gaveUpAtFeeCap, initialFees } from './fee-policy.js';
import { resumeOpenTransactions } from './resume-open-transactions.js';
import { revertReasonFromError } from './revert-reason.js';
import { receiptOf, settleTransaction } from './settle-transaction.js';
import { signAttempt } from './sign-attempt.js';
import { parseTxRecord, txRecordId, txRecordItem } from './tx-record.js';
import type { TxManagerDeps, TxOutcome, TxRecord, TxRequest } from './types.js';

/** No free nonce after skipping recorded ones: the chain and the records disagree badly. */
export class NonceConflictError extends PipelineError {
  override readonly name: string = 'NonceConflictError';
}

const MAX_NONCE_SKIPS = 32;

/** True when a settled record's tx has no receipt any more and its nonce is unused again. */
async function leftTheChain(deps: TxManagerDeps, record: TxRecord): Promise<boolean> {
  const hash = record.outcome?.status === 'replaced' ? undefined : record.outcome?.hash;
  if (hash === undefined) return false;
  const minedCount = await deps.client.getTransactionCount({
    address: deps.account.address,
    blockTag: 'latest',
  });
  return minedCount <= record.nonce && (await receiptOf(deps.client, hash)) === undefined;
}

/**
 * Sends one contract call for `request.intentId` and waits for its outcome, safely across retries
 * and crashes. The caller must hold the signer's lease (`acquireSignerLease`).
 *
 * 1. Open records of this signer are settled first, lowest nonce first (a stuck nonce blocks all
 *    later ones, so it is dealt with before anything new). An open record of the same intent is
 *    resumed, never signed again; an unsettled one of another intent returns `blocked`.
 * 2. Otherwise: estimate gas (a revert found here returns `reverted` with `simulated: true`, nothing
 *    sent), price under the caps, take the chain's `pending` nonce (skipping nonces whose records
 *    are settled and still on chain; a settled one whose nonce is unused again is never signed
 *    over), sign, record `tx/<signer>/<nonce>` with the raw tx and its
 *    hash, and only then broadcast and settle (`settleTransaction`).
 *
 * @returns an outcome value; throws only on infrastructure failures (RPC, store) or a nonce conflict.
 */
export async function sendTransaction(deps: TxManagerDeps, request: TxRequest): Promise<TxOutcome> {
  const { client, account, logger, policy } = deps;
  const abi = request.abi ?? [];
  for (const outcome of await resumeOpenTransactions(deps, { deadline: request.deadline, abi })) {
    if (outcome.status === 'blocked') continue;
    if (outcome.intentId === request.intentId) return outcome;
    if (outcome.status === 'pending' || outcome.status === 'gave-up-at-fee-cap') {
      return { status: 'blocked', intentId: request.intentId, by: outcome };
    }
  }

  const value = request.value ?? 0n;
  let gas = request.gas;
  if (gas === undefined) {
    try {
      const estimate = await client.estimateGas({
        account: account.address,
        to: request.to,
        data: request.data,
        value,
      });
      gas = (estimate * BigInt(100 + policy.gasMarginPercent)) / 100n;
    } catch (error) {
      const reason = revertReasonFromError(error, abi);
      logger.warn('tx manager: the call reverts in estimation; nothing sent', {
        intentId: request.intentId,
        reason,
      });
      return { status: 'reverted', intentId: request.intentId, reason, simulated: true };
    }
  }

  const [block, suggestedTip] = await Promise.all([
    client.getBlock({ blockTag: 'latest' }),
    client.estimateMaxPriorityFeePerGas().catch(() => policy.maxPriorityFeePerGas),
  ]);
  const fees = initialFees(block.baseFeePerGas ?? 0n, suggestedTip, policy);
  if (fees.kind === 'over-cap') {
    return gaveUpAtFeeCap(request.intentId, fees.needed, policy);
  }

  const signRecord = async (nonce: number): Promise<Omit<TxRecord, 'id' | 'version'>> => {
    const call = { nonce, to: request.to, data: request.data, value, gas };
    const attempt = await signAttempt(deps, call, fees.fees);
    return {
      ...call,
      status: 'sent',
      signer: account.address,
      intentId: request.intentId,
      attempts: [attempt],
    };
  };
  const broadcastAndSettle = async (fresh: Omit<TxRecord, 'id' | 'version'>, version: number) => {
    const record: TxRecord = { ...fresh, id: txRecordId(account.address, fresh.nonce), version };
    const attempt = record.attempts[0]!;
    logger.info('tx manager: recorded, broadcasting', {
      txId: record.id,
      intentId: record.intentId,
      hash: attempt.hash,
    });
    await broadcastRawTransaction(client, attempt.raw, logger);
    return settleTransaction(deps, record, { deadline: request.deadline, abi });
  };

  let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' });
  for (let skips = 0; skips <= MAX_NONCE_SKIPS; skips++) {
    const fresh = await signRecord(nonce);
    if (await deps.store.create(txRecordItem(fresh))) return broadcastAndSettle(fresh, 1);
    const existing = await deps.store.get(txRecordId(account.address, nonce));
    if (existing === undefined) continue;
    const other = parseTxRecord(existing);
    if (other.status === 'sent') {
      throw new NonceConflictError(
        `nonce ${nonce} of ${account.address} was recorded by another writer (intent ${other.intentId})`,
        { details: 'two writers for one signer: check the signer lease' },
      );
    }
    if (await leftTheChain(deps, other)) {
      // Settled, yet its nonce is unused: its tx left the chain after `resumeOpenTransactions` looked.
      // Signing another payload here could let both be mined; the next run reopens and re-sends it.
      throw new NonceConflictError(
        `nonce ${nonce} of ${account.address} is recorded as settled (intent ${other.intentId}) but unused on L1`,
        { details: 'an L1 reorg took its tx off the chain; the next run re-sends the recorded tx' },
      );
    }
    // A settled record holds this nonce: the RPC's pending count lags behind our own records.
    nonce += 1;
  }
  throw new NonceConflictError(`no free nonce for ${account.address} after ${MAX_NONCE_SKIPS} recorded ones`);
}
