import { encodeFunctionData } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sendTransaction } from '../chain/tx-manager/send-transaction.js';
import type { TxOutcome } from '../chain/tx-manager/types.js';
import { InvalidInputError } from '../core/errors.js';
import { checkpointId, sortKeyOf } from '../core/messages/ids.js';
import type { StoredItem } from '../core/ports/state-store.js';
import { adoptMinedCheckpointTxs } from './adopt-checkpoint-txs.js';
import {
  CHECKPOINT_KIND,
  checkpointItem,
  parseCheckpointItem,
  type StoredCheckpoint,
} from './checkpoint-records.js';
import { checkpointHashes, checkpointStillValid } from './checkpoint-validity.js';
import type { CheckpointReport } from './proposer-deps.js';
import { type ProposerRunContext, proposalErrorsAbi } from './proposer-run-context.js';

export type CheckpointResult =
  | { readonly kind: 'ready'; readonly checkpoint: CheckpointReport }
  | { readonly kind: 'not-ready'; readonly outcome: TxOutcome };

/**
 * The stored checkpoints from `oldest` on, newest first: from the run's own list
 * (`run.checkpoints`, with the adopted ones) when it reaches back far enough, else listed. `checked`:
 * the ids already found valid this run (by its reconciliation, or adopted just now).
 */
async function storedFrom(
  run: ProposerRunContext,
  oldest: bigint,
  adopted: readonly StoredCheckpoint[],
): Promise<{ readonly newestFirst: StoredItem[]; readonly checked: ReadonlySet<string> }> {
  const listed = run.checkpoints;
  if (listed === undefined || listed.from > oldest) {
    const items = await run.deps.store.list(CHECKPOINT_KIND, 'stored', { fromSortKey: sortKeyOf(oldest) });
    return { newestFirst: items.reverse(), checked: new Set() };
  }
  const adoptedItems = adopted.map((c) => ({ ...checkpointItem(c), version: 1, updatedAt: '' }));
  const items = [...listed.items.filter((item) => item.sortKey >= sortKeyOf(oldest)), ...adoptedItems];
  items.sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
  return { newestFirst: items, checked: new Set([...listed.stillValid, ...adoptedItems.map((i) => i.id)]) };
}

async function newestValidCheckpoint(
  run: ProposerRunContext,
  head: bigint,
  floor: bigint,
): Promise<CheckpointReport | undefined> {
  const { store, logger, config } = run.deps;
  const maxAge = BigInt(config.proposer.checkpointMaxAgeBlocks);
  const youngest = head >= maxAge ? head - maxAge + 1n : 0n;
  const oldest = youngest > floor ? youngest : floor;
  const adopted = await adoptMinedCheckpointTxs(run, oldest, head);
  const { newestFirst, checked } = await storedFrom(run, oldest, adopted);
  for (const item of newestFirst) {
    let parsed: ReturnType<typeof parseCheckpointItem>;
    try {
      parsed = parseCheckpointItem(item);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // A corrupt item can never be reused; set it aside so later runs do not trip on it again.
      logger.error('proposer: stored checkpoint is malformed; set aside, checkpointing again', {
        checkpointId: item.id,
        issues: error.issues,
      });
      await store.replace({ ...item, status: 'invalidated' }, item.version);
      continue;
    }
    const { l1BlockNumber, l1BlockHash } = parsed;
    if (l1BlockNumber > head) continue;
    if (checked.has(item.id) || (await checkpointStillValid(run, l1BlockNumber, l1BlockHash))) {
      return { l1BlockNumber, l1BlockHash, reused: true };
    }
    logger.warn('proposer: stored checkpoint no longer matches L1 (reorg); checkpointing again', {
      checkpointId: item.id,
      l1BlockHash,
    });
    await store.replace({ ...item, status: 'invalidated' }, item.version);
  }
  return undefined;
}

async function recordCheckpoint(run: ProposerRunContext, checkpoint: CheckpointReport): Promise<void> {
  const { store } = run.deps;
  const item = checkpointItem(checkpoint);
  if (await store.create(item)) return;
  // The same block number checkpointed again after a reorg: the new hash replaces the old.
  const existing: StoredItem | undefined = await store.get(item.id);
  if (existing !== undefined) await store.replace(item, existing.version);
}

/**
 * An L1 checkpoint at or after L1 block `floor` that the oracle holds and L1 still agrees with: the
 * newest stored one younger than `checkpointMaxAgeBlocks` that `checkpointStillValid`, or a new
 * `checkpointBlockHash(max(head − checkpointDepth, floor))` sent through the tx manager and stored as
 * `checkpoint/<n>`.
 *
 * @param floor the lowest usable L1 block (the newest L1 head the waiting ranges were proven against).
 */
export async function obtainL1Checkpoint(run: ProposerRunContext, floor = 0n): Promise<CheckpointResult> {
  const { l1, oracleAddress, config, logger } = run.deps;
  const head = await l1.getBlockNumber({ cacheTime: 0 });
  const reusable = await newestValidCheckpoint(run, head, floor);
  if (reusable !== undefined) return { kind: 'ready', checkpoint: reusable };

  const depth = BigInt(config.proposer.checkpointDepth);
  const deep = head > depth ? head - depth : 0n;
  // blockhash(n) is only available for n < the block the checkpoint tx lands in, so never aim past head.
  const target = deep >= floor ? deep : floor <= head ? floor : head;
  const outcome = await sendTransaction(run.tx, {
    intentId: checkpointId(target),
    to: oracleAddress,
    data: encodeFunctionData({
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'checkpointBlockHash',
      args: [target],
    }),
    abi: proposalErrorsAbi,
    deadline: run.deadline,
  });
  if (outcome.status !== 'mined') {
    logger.warn('proposer: checkpoint transaction did not complete', {
      target: target.toString(),
      outcome: outcome.status,
    });
    return { kind: 'not-ready', outcome };
  }
  const { onOracle: l1BlockHash, onL1 } = await checkpointHashes(run, target);
  if (l1BlockHash !== onL1) {
    logger.warn('proposer: L1 reorganised while checkpointing; the next run tries again', {
      target: target.toString(),
    });
    return { kind: 'not-ready', outcome };
  }
  const checkpoint: CheckpointReport = {
    l1BlockNumber: target,
    l1BlockHash,
    reused: false,
    txHash: outcome.hash,
    gasUsed: outcome.gasUsed,
  };
  await recordCheckpoint(run, checkpoint);
  logger.info('proposer: L1 block checkpointed', {
    l1BlockNumber: target.toString(),
    l1BlockHash,
    txHash: outcome.hash,
    gasUsed: outcome.gasUsed.toString(),
  });
  return { kind: 'ready', checkpoint };
}
