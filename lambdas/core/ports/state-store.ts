/**
 * The pipeline's durable truth (DynamoDB on AWS, dynalite locally, a Map in unit tests).
 *
 * Items are addressed by a deterministic `id` (see messages/ids.ts) and carry a `version` that
 * every write checks, so all effects are single-item conditional writes: no transactions
 * (dynalite has none), and concurrent writers can never both win.
 *
 * Items are listed by (`kind`, `status`) in `sortKey` order: e.g. kind `message#blocks`, status
 * `pending`, sortKey the zero-padded block number.
 */
export interface StoredItem {
  readonly id: string;
  /** Item family, e.g. `message#blocks`, `group#range`, `cursor`, `lease`, `proposal`, `tx`. */
  readonly kind: string;
  readonly status: string;
  /** Orders items inside (kind, status); zero-padded numbers (`sortKeyOf`). */
  readonly sortKey: string;
  /** Starts at 1 on create; each successful replace increments it. */
  readonly version: number;
  /** JSON-serialisable body (bigints as decimal strings). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
  /**
   * Epoch seconds after which the store may delete the item (DynamoDB TTL; best effort, often days
   * later; the memory store and dynalite keep it). Only on terminal items nothing reads again; a
   * write without it clears it.
   */
  readonly expiresAt?: number;
}

export type NewItem = Omit<StoredItem, 'version' | 'updatedAt'>;

/** An item written as it is, its version included (`overwriteMany`). */
export type OverwrittenItem = Omit<StoredItem, 'updatedAt'>;

export interface ListOptions {
  readonly limit?: number;
  /** Only items whose sortKey is ≥ this. */
  readonly fromSortKey?: string;
}

export interface StateStore {
  get(id: string): Promise<StoredItem | undefined>;
  /**
   * Reads several items at once (strongly consistent, as `get`), e.g. a group's members: one
   * BatchGetItem per 100 ids on DynamoDB instead of a GetItem each.
   * @returns one entry per id, in the order given (undefined for a missing item); a repeated id
   * gets the same item twice.
   */
  getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]>;
  /** Creates the item with version 1. Returns false (and writes nothing) if the id exists. */
  create(item: NewItem): Promise<boolean>;
  /**
   * Replaces the item if its stored version equals `expectedVersion`; the stored version becomes
   * `expectedVersion + 1`. Returns false (and writes nothing) on a version mismatch or a missing item.
   */
  replace(item: NewItem, expectedVersion: number): Promise<boolean>;
  /**
   * Writes each item as given, its `version` included, with NO condition: one BatchWriteItem per 25
   * items on DynamoDB instead of a conditional PutItem each (unprocessed items retried with
   * backoff). A write another writer made meanwhile is overwritten, so only for items the caller can
   * show no other writer changes any more (a proposed span's expiry, `expireProposedSpan`).
   * @throws Error when items stay unprocessed after the retries (some may have been written: the
   * caller must be able to write them all again).
   */
  overwriteMany(items: readonly OverwrittenItem[]): Promise<void>;
  /** Items of one kind in one status, in sortKey order. */
  list(kind: string, status: string, options?: ListOptions): Promise<StoredItem[]>;
  /** Deletes the item if its version matches (leases, expired requests). */
  delete(id: string, expectedVersion: number): Promise<boolean>;
}
