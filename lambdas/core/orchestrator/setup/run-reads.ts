import type {
  ListOptions,
  NewItem,
  OverwrittenItem,
  StateStore,
  StoredItem,
} from '../../ports/state-store.js';

/**
 * One run's view of the state store: the items the run is known to read one by one (a collector
 * run's cursor, the stage's pause switch and circuit breaker; a job completion's group and breaker;
 * a proposer run's signer lease, pause switch and wait item)
 * are read together, in ONE batch read (`getMany`: a BatchGetItem on DynamoDB), on the first `get`
 * of any of them, instead of a GetItem each.
 *
 * Each batched answer is used once, by the first `get` of its id; any later `get` (the re-read after
 * a lost conditional write), and every `get` after this view wrote the id (a create that succeeded,
 * any replace or delete) or batch-read it itself, goes to the store. So the answer a caller sees is never older than the start of the run's first read,
 * and a write decided on it is still conditional on the version it carries: a stale answer only
 * loses its write and is read again, as a concurrent writer would make it. Build one per run (a
 * long-lived one would answer from long ago).
 *
 * `forTheRun`: ids of the batch whose answer stands for every `get` of the run until this view
 * writes them (any write, refused or not), as the run's one read of the pause switch does: a stage's
 * circuit breaker, read read-only by each group a collector run claims (the first group's claim
 * already decided on that answer, so the second's is no older than the first's).
 *
 * @example
 * const store = new RunReads(deps.store, [cursorId('range'), pauseId(target), breakerId('range')]);
 * await store.get(cursorId('range')); // one getMany of all three
 * await store.get(breakerId('range')); // answered from it, no call
 * await store.get(breakerId('range')); // read again from the store (unless `forTheRun` names it)
 */
export class RunReads implements StateStore {
  /** Ids whose batched answer is still to be used. */
  private readonly unread: Set<string>;
  /** Ids whose batched answer stands for the whole run, until this view writes them. */
  private readonly forTheRun: Set<string>;
  private batch: Promise<Map<string, StoredItem | undefined>> | undefined;

  constructor(
    private readonly store: StateStore,
    ids: readonly string[],
    forTheRun: readonly string[] = [],
  ) {
    this.unread = new Set(ids);
    this.forTheRun = new Set(forTheRun.filter((id) => this.unread.has(id)));
  }

  async get(id: string): Promise<StoredItem | undefined> {
    if (!this.unread.has(id) && !this.forTheRun.has(id)) return this.store.get(id);
    this.batch ??= this.readBatch();
    const answers = await this.batch;
    if (this.forTheRun.has(id)) return answers.get(id);
    // A concurrent get, or a write since the batch was asked for, took it: read afresh.
    if (!this.unread.delete(id)) return this.store.get(id);
    return answers.get(id);
  }

  getMany(ids: readonly string[]): Promise<(StoredItem | undefined)[]> {
    for (const id of ids) this.forget(id);
    return this.store.getMany(ids);
  }

  async create(item: NewItem): Promise<boolean> {
    // A refused create wrote nothing: the batched answer (e.g. the lease the create found) still holds
    // once; a run-long one does not (its holder would retry the create on the same answer forever).
    if (this.forTheRun.has(item.id)) this.forget(item.id);
    const created = await this.store.create(item);
    if (created) this.unread.delete(item.id);
    return created;
  }

  replace(item: NewItem, expectedVersion: number): Promise<boolean> {
    this.forget(item.id);
    return this.store.replace(item, expectedVersion);
  }

  overwriteMany(items: readonly OverwrittenItem[]): Promise<void> {
    for (const item of items) this.forget(item.id);
    return this.store.overwriteMany(items);
  }

  list(kind: string, status: string, options?: ListOptions): Promise<StoredItem[]> {
    return this.store.list(kind, status, options);
  }

  delete(id: string, expectedVersion: number): Promise<boolean> {
    this.forget(id);
    return this.store.delete(id, expectedVersion);
  }

  /** From now on `id` is read from the store. */
  private forget(id: string): void {
    this.unread.delete(id);
    this.forTheRun.delete(id);
  }

  private async readBatch(): Promise<Map<string, StoredItem | undefined>> {
    const ids = [...this.unread];
    const items = await this.store.getMany(ids);
    return new Map(ids.map((id, i) => [id, items[i]]));
  }
}
