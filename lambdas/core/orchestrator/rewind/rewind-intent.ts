import * as z from 'zod';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { bytes32Hex, decimalString } from '../../schema/primitives.js';

/** The one L2 rewind in progress: written first, deleted last, so the next watcher run finishes a crashed one. */
export const L2_REWIND_ID = 'rewind/l2';

const intentSchema = z.object({
  ancestor: decimalString,
  ancestorHash: bytes32Hex,
  /** The watcher cursor's `rewinds` once this rewind is done (its generation). */
  generation: z.number().int().min(1),
  /** The watcher cursor position the reorg was found under. */
  from: decimalString,
});

/** A decided L2 rewind: everything above `ancestor` not yet proposed is thrown away. */
export interface L2Rewind {
  readonly ancestor: bigint;
  readonly ancestorHash: string;
  readonly generation: number;
  readonly from: bigint;
}

/** The rewind in progress, if any, with its item (for the final delete). */
export async function readRewindIntent(
  store: StateStore,
): Promise<{ rewind: L2Rewind; item: StoredItem } | undefined> {
  const item = await store.get(L2_REWIND_ID);
  if (item === undefined) return undefined;
  const data = parseItemData(intentSchema, item.data, 'L2 rewind intent', item.id);
  return {
    item,
    rewind: {
      ancestor: BigInt(data.ancestor),
      ancestorHash: data.ancestorHash,
      generation: data.generation,
      from: BigInt(data.from),
    },
  };
}

/** Records the rewind (a conditional create). False when one is already recorded: finish that one first. */
export function writeRewindIntent(store: StateStore, rewind: L2Rewind): Promise<boolean> {
  return store.create({
    id: L2_REWIND_ID,
    kind: 'rewind',
    status: 'active',
    sortKey: 'l2',
    data: {
      ancestor: rewind.ancestor.toString(10),
      ancestorHash: rewind.ancestorHash,
      generation: rewind.generation,
      from: rewind.from.toString(10),
    },
  });
}
