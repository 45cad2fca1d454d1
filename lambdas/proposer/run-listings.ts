import type {
  ListOptions,
  NewItem,
  OverwrittenItem,
  StateStore,
  StoredItem,
} from '../core/ports/state-store.js';

/**
 * One proposer run's view of the state store that lists each (kind, status) of `kinds` once: a
 * later `list` of the same kind and status from the same or a higher sort key is answered from
 * the first answer (filtered), instead of another Query. E.g. the signer's mined tx records, listed
 * by the L1 reorg check (`reopenReorgedTransactions`, the last 32 nonces) and again when looking
 * for mined checkpoint txs (`adoptMinedCheckpointTxs`, the last 16).
 *
 * Only for kinds no one but the signer-lease holder writes (tx records, checkpoints, proposals):
 * while the run holds the lease its own writes are the only changes, and any write through this
 * view to an item of a kind (or any delete) drops that kind's answers, so the next list reads
 * afresh. A limited list is never kept or answered. Build one per run, after taking the lease.
 */
export class RunListings implements StateStore {
  private readonly listed = new Map<string, { readonly from: string; readonly items: StoredItem[] }>();
  /** Counts every forget, so an answer that a write overtook while it was read is not kept. */
  private forgets = 0;

  constructor(
    private readonly store: StateStore,
    private readonly kinds: readonly string[],
  ) {}

  get(id: string): Promise<StoredItem | undefined> {
    return this.store.get(id);
  }

  getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]> {
    return this.store.getMany(ids);
  }

  create(item: NewItem): Promise<boolean> {
    this.forget(item.kind);
    return this.store.create(item);
  }

  replace(item: NewItem, expectedVersion: number): Promise<boolean> {
    this.forget(item.kind);
    return this.store.replace(item, expectedVersion);
  }

  overwriteMany(items: readonly OverwrittenItem[]): Promise<void> {
    for (const item of items) this.forget(item.kind);
    return this.store.overwriteMany(items);
  }

  delete(id: string, expectedVersion: number): Promise<boolean> {
    // The kind of a deleted item is not known here: forget them all.
    this.listed.clear();
    this.forgets += 1;
    return this.store.delete(id, expectedVersion);
  }

  async list(kind: string, status: string, options: ListOptions = {}): Promise<StoredItem[]> {
    if (!this.kinds.includes(kind) || options.limit !== undefined)
      return this.store.list(kind, status, options);
    const key = `${kind}\n${status}`;
    const from = options.fromSortKey ?? '';
    const earlier = this.listed.get(key);
    if (earlier !== undefined && earlier.from <= from) {
      return structuredClone(earlier.items.filter((item) => item.sortKey >= from));
    }
    const forgetsBefore = this.forgets;
    const items = await this.store.list(kind, status, options);
    if (this.forgets === forgetsBefore) this.listed.set(key, { from, items: structuredClone(items) });
    return items;
  }

  private forget(kind: string): void {
    this.forgets += 1;
    for (const key of this.listed.keys()) if (key.startsWith(`${kind}\n`)) this.listed.delete(key);
  }
}
