import type { NewItem, StateStore, StoredItem } from '../../ports/state-store.js';

/**
 * Writes `next` over `read`, the item as last read: a conditional create when there was none, else a
 * replace conditional on its version. False when another writer got there first (read again).
 */
export function writeOver(store: StateStore, next: NewItem, read: StoredItem | undefined): Promise<boolean> {
  return read === undefined ? store.create(next) : store.replace(next, read.version);
}
