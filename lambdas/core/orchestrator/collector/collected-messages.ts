import * as z from 'zod';
import type { SequentialCollectorConfig } from '../../config/schema.js';
import { cursorId, sortKeyOf } from '../../messages/ids.js';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';

const cursorPositionSchema = z.object({ position: decimalString });

/**
 * The collected messages of a Sequential stage's inbox from `from` on: `collected` ones, and for
 * block keys the `pending` ones behind the stage cursor (block members stay pending: the cursor
 * passes a block only by grouping it, see `SequentialCollector`), in sort key order.
 * @example
 * await collectedMessages(store, 'range', rule, 'message#blocks', 10n);
 */
export async function collectedMessages(
  store: StateStore,
  stage: string,
  rule: SequentialCollectorConfig,
  inboxKind: string,
  from: bigint,
): Promise<StoredItem[]> {
  const fromSortKey = sortKeyOf(from);
  const collected = await store.list(inboxKind, 'collected', { fromSortKey });
  if (rule.keyKind !== 'block') return collected;
  const cursor = await store.get(cursorId(stage));
  if (cursor === undefined) return collected;
  const bound = sortKeyOf(
    BigInt(parseItemData(cursorPositionSchema, cursor.data, 'cursor item', cursor.id).position),
  );
  const pending = await store.list(inboxKind, 'pending', { fromSortKey });
  return [...collected, ...pending.filter((item) => item.sortKey < bound)].sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0,
  );
}
