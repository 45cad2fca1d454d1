import type {
  ListOptions,
  NewItem,
  OverwrittenItem,
  StateStore,
  StoredItem,
} from '../../core/ports/state-store.js';

/** Lets a test inject a failure (a simulated crash) before a write reaches the store. */
export type WriteInterceptor = (
  operation: 'create' | 'replace' | 'delete' | 'overwrite',
  id: string,
  item?: NewItem,
) => void;

export interface MemoryStateStoreOptions {
  /** Clock for `updatedAt`; defaults to the system time. */
  readonly now?: () => Date;
  /** Called before each write; throw from it to simulate a crash between steps. */
  readonly beforeWrite?: WriteInterceptor;
  /**
   * Extra macrotask turns before each operation, so concurrent callers (Promise.all) interleave
   * the way they do against a remote store. Defaults to none (one microtask turn).
   */
  readonly delayTurns?: () => number;
}

/**
 * StateStore in memory with the exact DynamoDB-adapter semantics: versions start at 1, creates are
 * conditional on absence, replaces and deletes on the version, lists return (kind, status) in
 * sortKey order (ties by id). Items are copied in and out, so callers never share references.
 */
export class MemoryStateStore implements StateStore {
  private readonly items = new Map<string, StoredItem>();
  private readonly now: () => Date;
  private readonly delayTurns: () => number;
  beforeWrite: WriteInterceptor | undefined;
  /** How many items `list` has returned in all, so tests can bound how much a run reads. */
  listedItems = 0;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.delayTurns = options.delayTurns ?? (() => 0);
    this.beforeWrite = options.beforeWrite;
  }

  async get(id: string): Promise<StoredItem | undefined> {
    await this.turn();
    const item = this.items.get(id);
    return item === undefined ? undefined : structuredClone(item);
  }

  async getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]> {
    await this.turn();
    return ids.map((id) => {
      const item = this.items.get(id);
      return item === undefined ? undefined : structuredClone(item);
    });
  }

  async create(item: NewItem): Promise<boolean> {
    await this.turn();
    this.beforeWrite?.('create', item.id, item);
    if (this.items.has(item.id)) return false;
    this.items.set(item.id, this.stored(item, 1));
    return true;
  }

  async replace(item: NewItem, expectedVersion: number): Promise<boolean> {
    await this.turn();
    this.beforeWrite?.('replace', item.id, item);
    const current = this.items.get(item.id);
    if (current === undefined || current.version !== expectedVersion) return false;
    this.items.set(item.id, this.stored(item, expectedVersion + 1));
    return true;
  }

  /** Each item in turn (`beforeWrite` per item, so a test can crash a batch part way). */
  async overwriteMany(items: readonly OverwrittenItem[]): Promise<void> {
    await this.turn();
    for (const item of items) {
      this.beforeWrite?.('overwrite', item.id, item);
      this.items.set(item.id, this.stored(item, item.version));
    }
  }

  async list(kind: string, status: string, options: ListOptions = {}): Promise<StoredItem[]> {
    await this.turn();
    const from = options.fromSortKey;
    const matching = [...this.items.values()]
      .filter((i) => i.kind === kind && i.status === status && (from === undefined || i.sortKey >= from))
      .sort((a, b) => compare(a.sortKey, b.sortKey) || compare(a.id, b.id));
    const page = options.limit === undefined ? matching : matching.slice(0, options.limit);
    this.listedItems += page.length;
    return structuredClone(page);
  }

  async delete(id: string, expectedVersion: number): Promise<boolean> {
    await this.turn();
    this.beforeWrite?.('delete', id);
    const current = this.items.get(id);
    if (current === undefined || current.version !== expectedVersion) return false;
    this.items.delete(id);
    return true;
  }

  /** Every stored item (a copy), for assertions. */
  all(): StoredItem[] {
    return structuredClone([...this.items.values()]);
  }

  private stored(item: NewItem, version: number): StoredItem {
    return structuredClone({ ...item, version, updatedAt: this.now().toISOString() });
  }

  private async turn(): Promise<void> {
    await Promise.resolve();
    for (let i = this.delayTurns(); i > 0; i--) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
