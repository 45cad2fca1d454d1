import { zeroHash } from 'viem';
import { parseTxRecord, TX_KIND } from '../chain/tx-manager/tx-record.js';
import { InvalidInputError } from '../core/errors.js';
import { checkpointBlockOfId, checkpointId, sortKeyOf } from '../core/messages/ids.js';
import { checkpointItem, type StoredCheckpoint } from './checkpoint-records.js';
import { checkpointHashes } from './checkpoint-validity.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/** How many of the signer's latest nonces are searched for checkpoint txs that were never stored. */
export const RECENT_CHECKPOINT_NONCES = 16;

/**
 * Stores the checkpoints whose transactions were mined but never recorded as `checkpoint/<n>`: a
 * checkpoint tx still unmined at its run's deadline is settled by a later run's
 * `resumeOpenTransactions` (which knows nothing of checkpoints), and a run can die between the
 * receipt and `recordCheckpoint`. Without this every such run sends another checkpoint for a newer
 * L1 block, and a slow L1 turns one proposal into many checkpoint transactions.
 *
 * Looks at the mined tx records of the signer's last `RECENT_CHECKPOINT_NONCES` nonces whose intent
 * is `checkpoint/<n>` with `oldest ≤ n ≤ head`, and stores each one the oracle holds and L1 still
 * agrees with.
 *
 * @returns the checkpoints adopted (stored at version 1).
 */
export async function adoptMinedCheckpointTxs(
  run: ProposerRunContext,
  oldest: bigint,
  head: bigint,
): Promise<StoredCheckpoint[]> {
  const { store, l1, account, logger } = run.deps;
  const minedCount = await l1.getTransactionCount({ address: account.address, blockTag: 'latest' });
  const fromNonce = Math.max(0, minedCount - RECENT_CHECKPOINT_NONCES);
  const items = await store.list(TX_KIND, 'mined', { fromSortKey: sortKeyOf(BigInt(fromNonce)) });
  // Stored ones the run's reconciliation listed need no look-up; any other (set aside, or older than
  // that list) is looked up, so one of any status is never adopted again.
  const listed = new Set(run.checkpoints?.items.map((item) => item.id));
  const adopted: StoredCheckpoint[] = [];
  for (const item of items) {
    if (String(item.data.signer).toLowerCase() !== account.address.toLowerCase()) continue;
    let record: ReturnType<typeof parseTxRecord>;
    try {
      record = parseTxRecord(item);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      logger.warn('proposer: malformed tx record skipped while looking for mined checkpoints', {
        txId: item.id,
        issues: error.issues,
      });
      continue;
    }
    const l1BlockNumber = checkpointBlockOfId(record.intentId);
    if (l1BlockNumber === undefined || l1BlockNumber < oldest || l1BlockNumber > head) continue;
    if (record.outcome?.status !== 'mined') continue;
    const id = checkpointId(l1BlockNumber);
    if (listed.has(id) || (await store.get(id)) !== undefined) continue;
    const { onOracle, onL1 } = await checkpointHashes(run, l1BlockNumber);
    if (onOracle === zeroHash || onOracle !== onL1) continue;
    const checkpoint = { l1BlockNumber, l1BlockHash: onL1, txHash: record.outcome.hash };
    if (!(await store.create(checkpointItem(checkpoint)))) continue;
    logger.info('proposer: stored a checkpoint whose transaction was mined after its run', {
      checkpointId: checkpointId(l1BlockNumber),
      txId: record.id,
      txHash: record.outcome.hash,
    });
    adopted.push(checkpoint);
  }
  return adopted;
}
