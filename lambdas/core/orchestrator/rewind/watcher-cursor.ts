import * as z from 'zod';
import { cursorId } from '../../messages/ids.js';
import type { NewItem, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { bytes32Hex, decimalString } from '../../schema/primitives.js';

/** The watcher's durable cursor: the last block it enqueued, with its hash for the parent check. */
export const WATCHER_CURSOR_ID = cursorId('watcher');

const watcherCursorSchema = z.object({
  position: decimalString,
  hash: bytes32Hex.optional(),
  rewinds: z.number().int().min(0).optional(),
});

/** The watcher cursor as stored. */
export interface WatcherCursor {
  readonly position: bigint;
  /** Absent on cursors written before the watcher kept it: the watcher reads it from the L2. */
  readonly hash?: string;
  /**
   * L2 rewinds done so far: the envelope `attempt` of every block message the watcher enqueues,
   * so a canonical block re-enqueued after a rewind replaces its invalidated message (a later
   * attempt) and a late delivery of the old one is a duplicate.
   */
  readonly rewinds: number;
}

/** @throws InvalidInputError naming the cursor item and the field that does not validate. */
export function parseWatcherCursor(item: StoredItem): WatcherCursor {
  const data = parseItemData(watcherCursorSchema, item.data, 'watcher cursor', item.id);
  return {
    position: BigInt(data.position),
    ...(data.hash === undefined ? {} : { hash: data.hash }),
    rewinds: data.rewinds ?? 0,
  };
}

/** The item of the watcher cursor at `position` (block hash `hash`); `rewinds` only once there was one. */
export function watcherCursorItem(position: bigint, hash: string, rewinds = 0): NewItem {
  return {
    id: WATCHER_CURSOR_ID,
    kind: 'cursor',
    status: 'active',
    sortKey: 'watcher',
    data: { position: position.toString(10), hash, ...(rewinds === 0 ? {} : { rewinds }) },
  };
}
