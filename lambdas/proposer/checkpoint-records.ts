import type { Hex } from 'viem';
import * as z from 'zod';
import { checkpointId, sortKeyOf } from '../core/messages/ids.js';
import type { NewItem, StoredItem } from '../core/ports/state-store.js';
import { parseItemData } from '../core/schema/parse-item-data.js';
import { bytes32Hex, decimalString } from '../core/schema/primitives.js';

export const CHECKPOINT_KIND = 'checkpoint';

const checkpointDataSchema = z.object({
  l1BlockNumber: decimalString,
  l1BlockHash: bytes32Hex,
  txHash: bytes32Hex.nullable().optional(),
});

/** A `checkpoint/<l1Block>` item as the proposer stored it. */
export interface StoredCheckpoint {
  readonly l1BlockNumber: bigint;
  readonly l1BlockHash: Hex;
  readonly txHash?: Hex;
}

/**
 * The stored checkpoints one proposer run listed once, from L1 block `from` on (`reconcileCheckpoints`),
 * for choosing one to reuse later in the run without listing them again: `items` without those the
 * run set aside; `stillValid` the ids of those it found the oracle and L1 still hold.
 */
export interface ListedCheckpoints {
  readonly from: bigint;
  readonly items: readonly StoredItem[];
  readonly stillValid: ReadonlySet<string>;
}

/**
 * Reads a stored checkpoint item.
 * @throws InvalidInputError naming the item id and the bad field (e.g. `l1BlockNumber`).
 */
export function parseCheckpointItem(item: StoredItem): StoredCheckpoint {
  const { l1BlockNumber, l1BlockHash, txHash } = parseItemData(
    checkpointDataSchema,
    item.data,
    'checkpoint item',
    item.id,
    '',
  );
  return {
    l1BlockNumber: BigInt(l1BlockNumber),
    l1BlockHash: l1BlockHash as Hex,
    ...(txHash === undefined || txHash === null ? {} : { txHash: txHash as Hex }),
  };
}

/** The item form of a checkpoint: `checkpoint/<l1Block>` in `stored`, sorted by L1 block. */
export function checkpointItem(checkpoint: StoredCheckpoint): NewItem {
  return {
    id: checkpointId(checkpoint.l1BlockNumber),
    kind: CHECKPOINT_KIND,
    status: 'stored',
    sortKey: sortKeyOf(checkpoint.l1BlockNumber),
    data: {
      l1BlockNumber: checkpoint.l1BlockNumber.toString(),
      l1BlockHash: checkpoint.l1BlockHash,
      txHash: checkpoint.txHash ?? null,
    },
  };
}
