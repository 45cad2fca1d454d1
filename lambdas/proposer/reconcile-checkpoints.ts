import { InvalidInputError } from '../core/errors.js';
import { sortKeyOf } from '../core/messages/ids.js';
import type { StoredItem } from '../core/ports/state-store.js';
import { METRIC } from '../core/ports/telemetry.js';
import { CHECKPOINT_KIND, type ListedCheckpoints, parseCheckpointItem } from './checkpoint-records.js';
import { checkpointStillValid } from './checkpoint-validity.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Sets aside (`invalidated`) each stored `checkpoint/<n>` within the tx manager's reorg window
 * (`policy.reorgWindowBlocks` below the run's oracle block) that the oracle or L1 no longer holds
 * (`checkpointStillValid`), or whose block is above the head: its tx, or block n, left the canonical L1 chain, so no group may be
 * given it and no proof made against it counts as good. Metric: ReorgWorkInvalidated{kind: checkpoint}.
 *
 * One list serves the whole run: it reaches back `checkpointMaxAgeBlocks` too (when that is
 * further), so choosing a checkpoint to reuse (`obtainL1Checkpoint`) needs neither another list
 * nor another check of those found valid here.
 *
 * @returns the L1 block numbers set aside, and the checkpoints as listed and checked.
 */
export async function reconcileCheckpoints(
  run: ProposerRunContext,
): Promise<{ readonly invalidated: bigint[]; readonly listed: ListedCheckpoints }> {
  const { store, logger, metrics, config } = run.deps;
  const floor = run.oracle.blockNumber - BigInt(run.tx.policy.reorgWindowBlocks);
  const oldestReusable = run.oracle.blockNumber - BigInt(config.proposer.checkpointMaxAgeBlocks) + 1n;
  const lowest = oldestReusable < floor ? oldestReusable : floor;
  const from = lowest < 0n ? 0n : lowest;
  const items = await store.list(CHECKPOINT_KIND, 'stored', { fromSortKey: sortKeyOf(from) });
  const invalidated: bigint[] = [];
  const kept: StoredItem[] = [];
  const stillValid = new Set<string>();
  for (const item of items) {
    kept.push(item);
    let checkpoint: ReturnType<typeof parseCheckpointItem>;
    try {
      checkpoint = parseCheckpointItem(item);
    } catch (error) {
      // Malformed ones are set aside, naming the field, where a checkpoint is chosen.
      if (!(error instanceof InvalidInputError)) throw error;
      continue;
    }
    const { l1BlockNumber, l1BlockHash } = checkpoint;
    // Below the reorg window: as good as the oracle's history; checked only if chosen.
    if (l1BlockNumber < floor) continue;
    // A block above the head is on no chain we see (the new branch is shorter): gone as well. At
    // worst (a lagging RPC) that costs one more checkpoint tx; proofs are judged on chain anyway.
    const aboveHead = l1BlockNumber > run.oracle.blockNumber;
    if (!aboveHead && (await checkpointStillValid(run, l1BlockNumber, l1BlockHash))) {
      stillValid.add(item.id);
      continue;
    }
    kept.pop();
    if (!(await store.replace({ ...item, status: 'invalidated' }, item.version))) continue;
    logger.warn('proposer: a stored checkpoint left the canonical L1 chain (reorg); set aside', {
      checkpointId: item.id,
      l1BlockHash,
      txHash: checkpoint.txHash,
    });
    metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'checkpoint' });
    invalidated.push(l1BlockNumber);
  }
  return { invalidated, listed: { from, items: kept, stillValid } };
}
