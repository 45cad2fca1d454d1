import type {
  ListOptions,
  NewItem,
  OverwrittenItem,
  StateStore,
  StoredItem,
} from '../core/ports/state-store.js';
import type { HandedOverListing } from './run-listings-handover.js';

interface Listing {
  readonly from: string;
  /** In store order: sort key, then id. */
  readonly items: StoredItem[];
}

const keyOf = (kind: string, status: string): string => `${kind}\n${status}`;
const inStoreOrder = (a: StoredItem, b: StoredItem): number =>
  a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * One proposer run's view of the state store that lists each (kind, status) of `kinds` once: a
 * later `list` of the same kind and status from the same or a higher sort key is answered from
 * the first answer (filtered), instead of another Query. E.g. the signer's mined tx records, listed
 * by the L1 reorg check (`reopenReorgedTransactions`, the last 32 nonces) and again when looking
 * for mined checkpoint txs (`adoptMinedCheckpointTxs`, the last 16), and again by `sendTransaction`.
 *
 * Only for kinds no one but the signer-lease holder writes (tx records, checkpoints, proposals):
 * while the run holds the lease its own writes are the only changes, and it makes them through
 * this view, which applies each one that succeeded to the answers it keeps (the item in its new
 * status, at its new version). A write that failed or threw (its outcome unknown, or another writer
 * was there) drops that kind's answers, and a delete that did drops them all, so the next list
 * reads afresh; so does an answer a write overtook while it was read. A limited list is never kept.
 *
 * Across runs: `handover()` gives what the run ended with (each listing from the lowest sort key
 * the run asked for), for the signer-lease release to carry, and the next run starts from it
 * (`handedOver`) when its acquire took the lease straight from that release (`acquireSignerLease`):
 * no one wrote these kinds in between. Build one per run, after taking the lease.
 */
export class RunListings implements StateStore {
  private readonly listed = new Map<string, Listing>();
  /** The lowest sort key each (kind, status) was listed from in this run. */
  private readonly asked = new Map<string, string>();
  /** Counts every write, so an answer that a write overtook while it was read is not kept. */
  private writes = 0;

  constructor(
    private readonly store: StateStore,
    private readonly kinds: readonly string[],
    handedOver: readonly HandedOverListing[] = [],
  ) {
    for (const { kind, status, from, items } of handedOver) {
      if (kinds.includes(kind)) this.listed.set(keyOf(kind, status), { from, items: [...items] });
    }
  }

  get(id: string): Promise<StoredItem | undefined> {
    return this.store.get(id);
  }

  getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]> {
    return this.store.getMany(ids);
  }

  async create(item: NewItem): Promise<boolean> {
    const created = await this.write([item.kind], () => this.store.create(item));
    if (created) this.apply({ ...item, version: 1 });
    else this.forget(item.kind);
    return created;
  }

  async replace(item: NewItem, expectedVersion: number): Promise<boolean> {
    const replaced = await this.write([item.kind], () => this.store.replace(item, expectedVersion));
    if (replaced) this.apply({ ...item, version: expectedVersion + 1 });
    else this.forget(item.kind);
    return replaced;
  }

  async overwriteMany(items: readonly OverwrittenItem[]): Promise<void> {
    await this.write(
      items.map((item) => item.kind),
      () => this.store.overwriteMany(items),
    );
    for (const item of items) this.apply(item);
  }

  async delete(id: string, expectedVersion: number): Promise<boolean> {
    // The kind of a deleted item is not known here: a failed delete forgets them all.
    const deleted = await this.write(this.kinds, () => this.store.delete(id, expectedVersion));
    if (!deleted) this.listed.clear();
    for (const listing of this.listed.values()) {
      const at = listing.items.findIndex((item) => item.id === id);
      if (at >= 0) listing.items.splice(at, 1);
    }
    return deleted;
  }

  async list(kind: string, status: string, options: ListOptions = {}): Promise<StoredItem[]> {
    if (!this.kinds.includes(kind) || options.limit !== undefined)
      return this.store.list(kind, status, options);
    const key = keyOf(kind, status);
    const from = options.fromSortKey ?? '';
    const asked = this.asked.get(key);
    if (asked === undefined || from < asked) this.asked.set(key, from);
    const earlier = this.listed.get(key);
    if (earlier !== undefined && earlier.from <= from) {
      return structuredClone(earlier.items.filter((item) => item.sortKey >= from));
    }
    const writesBefore = this.writes;
    const items = await this.store.list(kind, status, options);
    if (this.writes === writesBefore) this.listed.set(key, { from, items: structuredClone(items) });
    return items;
  }

  /** The listings as this run leaves them, each from the lowest sort key the run listed it from. */
  handover(): HandedOverListing[] {
    const listings: HandedOverListing[] = [];
    for (const [key, listing] of this.listed) {
      let from = this.asked.get(key);
      if (from === undefined) continue;
      // An answer a write overtook was not kept: the older one then reaches down only to its own start.
      if (from < listing.from) from = listing.from;
      const [kind = '', status = ''] = key.split('\n');
      listings.push({ kind, status, from, items: listing.items.filter((item) => item.sortKey >= from) });
    }
    return listings;
  }

  /** Runs one write; one that throws (it may have landed) forgets the kinds it wrote. */
  private async write<T>(kinds: readonly string[], send: () => Promise<T>): Promise<T> {
    this.writes += 1;
    try {
      return await send();
    } catch (error) {
      for (const kind of kinds) this.forget(kind);
      throw error;
    }
  }

  /** Puts a written item, as the store now holds it, in the listings of its kind. */
  private apply(written: NewItem & { readonly version: number }): void {
    if (!this.kinds.includes(written.kind)) return;
    const item: StoredItem = { ...structuredClone(written), updatedAt: '' };
    for (const [key, listing] of this.listed) {
      if (!key.startsWith(`${item.kind}\n`)) continue;
      const at = listing.items.findIndex((listed) => listed.id === item.id);
      if (at >= 0) listing.items.splice(at, 1);
      if (key !== keyOf(item.kind, item.status) || item.sortKey < listing.from) continue;
      listing.items.push(item);
      listing.items.sort(inStoreOrder);
    }
  }

  private forget(kind: string): void {
    for (const key of this.listed.keys()) if (key.startsWith(`${kind}\n`)) this.listed.delete(key);
  }
}
