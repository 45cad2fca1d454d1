import type {
  ListOptions,
  NewItem,
  OverwrittenItem,
  StateStore,
  StoredItem,
} from '../../lambdas/core/ports/state-store.js';

/**
 * The MemoryStateStore's semantics (versions from 1, conditional creates and replaces, lists by
 * (kind, status) in sortKey order, ties by id) with the items kept sorted per (kind, status), as
 * DynamoDB's `byKindStatus` index is: a `list` with `fromSortKey` and `limit` reads only its page,
 * so a simulated day of tens of thousands of items does not make every collector run scan them all.
 * Written items are deep-frozen and handed out as they are (no copy per write or read): a caller
 * that mutated a written or read item would throw instead of corrupting the store.
 */
export class IndexedStateStore implements StateStore {
  private readonly items = new Map<string, StoredItem>();
  private readonly index = new Map<string, StoredItem[]>();

  constructor(private readonly now: () => Date) {}

  async get(id: string): Promise<StoredItem | undefined> {
    return this.items.get(id);
  }

  async getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]> {
    return ids.map((id) => this.items.get(id));
  }

  async create(item: NewItem): Promise<boolean> {
    if (this.items.has(item.id)) return false;
    this.put(this.stored(item, 1));
    return true;
  }

  async replace(item: NewItem, expectedVersion: number): Promise<boolean> {
    const current = this.items.get(item.id);
    if (current === undefined || current.version !== expectedVersion) return false;
    this.remove(current);
    this.put(this.stored(item, expectedVersion + 1));
    return true;
  }

  async overwriteMany(items: readonly OverwrittenItem[]): Promise<void> {
    for (const item of items) {
      const current = this.items.get(item.id);
      if (current !== undefined) this.remove(current);
      this.put(this.stored(item, item.version));
    }
  }

  async list(kind: string, status: string, options: ListOptions = {}): Promise<StoredItem[]> {
    const bucket = this.index.get(bucketOf(kind, status));
    if (bucket === undefined) return [];
    const from = options.fromSortKey === undefined ? 0 : lowerBound(bucket, options.fromSortKey, '');
    const to = options.limit === undefined ? bucket.length : Math.min(bucket.length, from + options.limit);
    return bucket.slice(from, to);
  }

  async delete(id: string, expectedVersion: number): Promise<boolean> {
    const current = this.items.get(id);
    if (current === undefined || current.version !== expectedVersion) return false;
    this.remove(current);
    return true;
  }

  /** Items stored now. */
  get size(): number {
    return this.items.size;
  }

  private put(item: StoredItem): void {
    this.items.set(item.id, item);
    const key = bucketOf(item.kind, item.status);
    let bucket = this.index.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.index.set(key, bucket);
    }
    bucket.splice(lowerBound(bucket, item.sortKey, item.id), 0, item);
  }

  private remove(item: StoredItem): void {
    this.items.delete(item.id);
    const bucket = this.index.get(bucketOf(item.kind, item.status));
    if (bucket === undefined) return;
    const at = lowerBound(bucket, item.sortKey, item.id);
    if (bucket[at]?.id === item.id) bucket.splice(at, 1);
  }

  private stored(item: NewItem, version: number): StoredItem {
    // Frozen in place, not copied: a caller that changed what it wrote would throw, not corrupt the store.
    return deepFreeze({ ...item, version, updatedAt: this.now().toISOString() });
  }
}

/** The first position in `bucket` whose (sortKey, id) is ≥ (sortKey, id). */
function lowerBound(bucket: readonly StoredItem[], sortKey: string, id: string): number {
  let low = 0;
  let high = bucket.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const item = bucket[mid] as StoredItem;
    if (item.sortKey < sortKey || (item.sortKey === sortKey && item.id < id)) low = mid + 1;
    else high = mid;
  }
  return low;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function bucketOf(kind: string, status: string): string {
  return `${kind}|${status}`;
}
