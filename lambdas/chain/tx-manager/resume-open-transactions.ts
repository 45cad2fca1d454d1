import type { Abi } from 'viem';
import { reopenReorgedTransactions } from './reopen-reorged-transactions.js';
import { settleTransaction } from './settle-transaction.js';
import { listOpenTxRecords } from './tx-record.js';
import type { TxManagerDeps, TxOutcome } from './types.js';

/**
 * Reopens the settled records whose tx an L1 reorg took off the chain (`reopenReorgedTransactions`),
 * then settles this signer's open tx records, lowest nonce first, and stops at the first that stays
 * unsettled (`pending` or `gave-up-at-fee-cap`: later nonces cannot be mined before it). Run at the
 * start of every invocation, so that a tx recorded by a crashed run, or reorged out, is
 * re-broadcast, bumped or recognised as mined before anything new is signed.
 */
export async function resumeOpenTransactions(
  deps: TxManagerDeps,
  options: { deadline: number; abi?: Abi },
): Promise<TxOutcome[]> {
  await reopenReorgedTransactions(deps);
  const outcomes: TxOutcome[] = [];
  for (const open of await listOpenTxRecords(deps.store, deps.account.address)) {
    const outcome = await settleTransaction(deps, open, options);
    outcomes.push(outcome);
    if (outcome.status === 'pending' || outcome.status === 'gave-up-at-fee-cap') break;
  }
  return outcomes;
}
