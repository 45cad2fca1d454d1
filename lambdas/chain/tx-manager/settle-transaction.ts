import type { Abi, Hash, TransactionReceipt } from 'viem';
import { PipelineError } from '../../core/errors.js';
import type { ChainClient as PublicClient } from '../chain-client.js';
import { broadcastRawTransaction } from './broadcast-raw-transaction.js';
import { bumpedFees, gaveUpAtFeeCap } from './fee-policy.js';
import { replayRevertReason } from './revert-reason.js';
import { signAttempt } from './sign-attempt.js';
import { replaceTxRecord } from './tx-record.js';
import type { TxFinalOutcome, TxManagerDeps, TxOutcome, TxRecord } from './types.js';

/** The store changed a tx record under us: someone else writes for this signer (lease lost). */
export class TxRecordConflictError extends PipelineError {
  override readonly name: string = 'TxRecordConflictError';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The receipt of `hash`, or undefined while the node knows no receipt for it. */
export async function receiptOf(client: PublicClient, hash: Hash): Promise<TransactionReceipt | undefined> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (error) {
    if ((error as Error).name === 'TransactionReceiptNotFoundError') return undefined;
    throw error;
  }
}

async function isInPool(client: PublicClient, hash: Hash): Promise<boolean> {
  try {
    await client.getTransaction({ hash });
    return true;
  } catch (error) {
    if ((error as Error).name === 'TransactionNotFoundError') return false;
    throw error;
  }
}

async function findReceipt(client: PublicClient, record: TxRecord): Promise<TransactionReceipt | undefined> {
  for (const attempt of [...record.attempts].reverse()) {
    const receipt = await receiptOf(client, attempt.hash);
    if (receipt !== undefined) return receipt;
  }
  return undefined;
}

/**
 * Drives one recorded transaction to an outcome, from wherever a previous run (or a crash) left
 * it: waits for a receipt and `confirmations`; re-broadcasts the same signed bytes when the
 * current attempt is not in the node's pool (dropped, or never sent because of a crash after the
 * record was written); replaces it at the same nonce with bumped fees after the resubmission
 * timeout; recognises a nonce consumed by someone else (`replaced`). Stops at `deadline` with
 * `pending`, or when the needed bump exceeds the caps with `gave-up-at-fee-cap`; the record then
 * stays open for the next run.
 */
export async function settleTransaction(
  deps: TxManagerDeps,
  initial: TxRecord,
  options: { deadline: number; abi?: Abi },
): Promise<TxOutcome> {
  const { client, policy, clock, logger, account } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  let record = initial;

  const finish = async (status: TxRecord['status'], outcome: TxFinalOutcome): Promise<TxOutcome> => {
    const stored = await replaceTxRecord(deps.store, record, { status, outcome });
    if (stored === undefined)
      throw new TxRecordConflictError(`tx record ${record.id} changed while settling it`);
    logger.info('tx manager: transaction settled', { txId: record.id, outcome: outcome.status });
    return outcome;
  };

  for (;;) {
    const current = record.attempts[record.attempts.length - 1]!;
    const receipt = await findReceipt(client, record);
    if (receipt !== undefined) {
      const head = await client.getBlockNumber();
      if (head - receipt.blockNumber + 1n >= BigInt(Math.max(1, policy.confirmations))) {
        if (receipt.status === 'success') {
          return finish('mined', {
            status: 'mined',
            txId: record.id,
            intentId: record.intentId,
            hash: receipt.transactionHash,
            nonce: record.nonce,
            blockNumber: receipt.blockNumber,
            gasUsed: receipt.gasUsed,
            effectiveGasPrice: receipt.effectiveGasPrice,
            attempts: record.attempts.length,
          });
        }
        const reason = await replayRevertReason(
          client,
          { ...record, from: account.address, blockNumber: receipt.blockNumber },
          options.abi,
        );
        return finish('failed', {
          status: 'reverted',
          intentId: record.intentId,
          reason,
          simulated: false,
          txId: record.id,
          hash: receipt.transactionHash,
          nonce: record.nonce,
          blockNumber: receipt.blockNumber,
          gasUsed: receipt.gasUsed,
        });
      }
    } else {
      const minedNonce = await client.getTransactionCount({ address: account.address, blockTag: 'latest' });
      if (minedNonce > record.nonce) {
        // The nonce is used: look once more, a receipt may have appeared since the first look.
        if ((await findReceipt(client, record)) === undefined) {
          return finish('replaced', {
            status: 'replaced',
            txId: record.id,
            intentId: record.intentId,
            nonce: record.nonce,
            hashes: record.attempts.map((a) => a.hash),
          });
        }
        continue;
      }
      let bumpNow = clock.now().getTime() - Date.parse(current.sentAt) >= policy.resubmissionTimeoutMs;
      if (!(await isInPool(client, current.hash))) {
        logger.warn('tx manager: attempt not in the mempool, re-sending the same signed tx', {
          txId: record.id,
          hash: current.hash,
        });
        // A re-sent attempt is bumped at once only when the node refuses its fees outright.
        bumpNow = (await broadcastRawTransaction(client, current.raw, logger)) === 'underpriced';
      }
      if (bumpNow) {
        const block = await client.getBlock({ blockTag: 'latest' });
        const decision = bumpedFees(current, block.baseFeePerGas ?? 0n, policy);
        if (decision.kind === 'over-cap') {
          logger.warn('tx manager: a replacement would exceed the fee caps; waiting on the current attempt', {
            txId: record.id,
            hash: current.hash,
          });
          return gaveUpAtFeeCap(record.intentId, decision.needed, policy, {
            txId: record.id,
            hash: current.hash,
          });
        }
        const attempt = await signAttempt(deps, record, decision.fees);
        const stored = await replaceTxRecord(deps.store, record, { attempts: [...record.attempts, attempt] });
        if (stored === undefined)
          throw new TxRecordConflictError(`tx record ${record.id} changed while bumping it`);
        record = stored;
        logger.info('tx manager: replacing a stuck attempt with bumped fees', {
          txId: record.id,
          previous: current.hash,
          hash: attempt.hash,
          maxFeePerGas: attempt.maxFeePerGas.toString(),
          maxPriorityFeePerGas: attempt.maxPriorityFeePerGas.toString(),
        });
        await broadcastRawTransaction(client, attempt.raw, logger);
        continue;
      }
    }
    if (clock.now().getTime() >= options.deadline) {
      return {
        status: 'pending',
        txId: record.id,
        intentId: record.intentId,
        hash: current.hash,
        nonce: record.nonce,
      };
    }
    await sleep(policy.pollIntervalMs);
  }
}
