import { InvalidInputError } from '../core/errors.js';
import { sortKeyOf } from '../core/messages/ids.js';
import { METRIC } from '../core/ports/telemetry.js';
import { CHECKPOINT_KIND, parseCheckpointItem } from './checkpoint-records.js';
import { checkpointStillValid } from './checkpoint-validity.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Sets aside (`invalidated`) each stored `checkpoint/<n>` within the tx manager's reorg window
 * (`policy.reorgWindowBlocks` below the run's oracle block) that the oracle or L1 no longer holds
 * (`checkpointStillValid`), or whose block is above the head: its tx, or block n, left the canonical L1 chain, so no group may be
 * given it and no proof made against it counts as good. Metric: ReorgWorkInvalidated{kind: checkpoint}.
 *
 * @returns the L1 block numbers set aside.
 */
export async function reconcileCheckpoints(run: ProposerRunContext): Promise<bigint[]> {
  const { store, logger, metrics } = run.deps;
  const floor = run.oracle.blockNumber - BigInt(run.tx.policy.reorgWindowBlocks);
  const items = await store.list(CHECKPOINT_KIND, 'stored', {
    fromSortKey: sortKeyOf(floor < 0n ? 0n : floor),
  });
  const invalidated: bigint[] = [];
  for (const item of items) {
    let checkpoint: ReturnType<typeof parseCheckpointItem>;
    try {
      checkpoint = parseCheckpointItem(item);
    } catch (error) {
      // Malformed ones are set aside, naming the field, where a checkpoint is chosen.
      if (!(error instanceof InvalidInputError)) throw error;
      continue;
    }
    const { l1BlockNumber, l1BlockHash } = checkpoint;
    // A block above the head is on no chain we see (the new branch is shorter): gone as well. At
    // worst (a lagging RPC) that costs one more checkpoint tx; proofs are judged on chain anyway.
    const aboveHead = l1BlockNumber > run.oracle.blockNumber;
    if (!aboveHead && (await checkpointStillValid(run, l1BlockNumber, l1BlockHash))) continue;
    if (!(await store.replace({ ...item, status: 'invalidated' }, item.version))) continue;
    logger.warn('proposer: a stored checkpoint left the canonical L1 chain (reorg); set aside', {
      checkpointId: item.id,
      l1BlockHash,
      txHash: checkpoint.txHash,
    });
    metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'checkpoint' });
    invalidated.push(l1BlockNumber);
  }
  return invalidated;
}
