import { InvalidInputError } from '../../core/errors.js';
import { sortKeyOf } from '../../core/messages/ids.js';
import { receiptOf } from './settle-transaction.js';
import { parseTxRecord, reopenTxRecord, TX_KIND } from './tx-record.js';
import type { TxManagerDeps, TxRecord } from './types.js';

/**
 * How many of the signer's nonces below the mined count are looked at: more transactions than a
 * proposer sends within `reorgWindowBlocks`.
 */
export const REORG_WINDOW_NONCES = 32;

/** Settled statuses whose transaction was mined (a receipt the chain can take back). */
const ON_CHAIN_STATUSES = ['mined', 'failed'] as const;

/**
 * Reopens (`sent`, outcome cleared) this signer's settled records whose transaction left the
 * canonical L1 chain: a record at a nonce the account has not used (`latest` count ≤ nonce), or one
 * mined within `policy.reorgWindowBlocks` of the head whose receipt is gone. The record keeps its
 * nonce and signed attempts, so `settleTransaction` re-broadcasts the SAME raw tx and applies the
 * usual rules (fee bump, mined again, `replaced` when another tx took the nonce): a nonce is never
 * signed again for another payload while its old tx could still be mined. Deeper records are final.
 *
 * @returns the records reopened, lowest nonce first.
 */
export async function reopenReorgedTransactions(deps: TxManagerDeps): Promise<TxRecord[]> {
  const { client, account, store, policy, logger } = deps;
  const [minedCount, head] = await Promise.all([
    client.getTransactionCount({ address: account.address, blockTag: 'latest' }),
    client.getBlockNumber({ cacheTime: 0 }),
  ]);
  const from = { fromSortKey: sortKeyOf(BigInt(Math.max(0, minedCount - REORG_WINDOW_NONCES))) };
  const lists = await Promise.all(ON_CHAIN_STATUSES.map((status) => store.list(TX_KIND, status, from)));
  const floor = head - BigInt(policy.reorgWindowBlocks);
  const reopened: TxRecord[] = [];
  for (const item of lists.flat()) {
    if (String(item.data.signer).toLowerCase() !== account.address.toLowerCase()) continue;
    let record: TxRecord;
    try {
      record = parseTxRecord(item);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      logger.warn('tx manager: malformed tx record skipped while checking for L1 reorgs', { txId: item.id });
      continue;
    }
    const outcome = record.outcome;
    if (outcome === undefined || outcome.status === 'replaced' || outcome.hash === undefined) continue;
    const unusedNonce = record.nonce >= minedCount;
    if (!unusedNonce && (outcome.blockNumber === undefined || outcome.blockNumber <= floor)) continue;
    if (!unusedNonce && (await receiptOf(client, outcome.hash)) !== undefined) continue;
    const stored = await reopenTxRecord(store, record);
    if (stored === undefined) continue;
    logger.warn('tx manager: a settled tx left the canonical L1 chain (reorg); re-sending its signed tx', {
      txId: record.id,
      intentId: record.intentId,
      hash: outcome.hash,
      blockNumber: outcome.blockNumber?.toString(),
    });
    reopened.push(stored);
  }
  return reopened.sort((a, b) => a.nonce - b.nonce);
}
