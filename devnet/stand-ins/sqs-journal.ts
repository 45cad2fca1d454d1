import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readJsonSnapshot, writeJsonSnapshot } from './json-snapshot.js';
import type { StoredMessage, StoredQueue } from './sqs-stored-queue.js';

/** The receive-side fields of a stored message that `receive` and ChangeMessageVisibility change. */
export type MessageDelivery = Pick<
  StoredMessage,
  'copyId' | 'receiveCount' | 'firstReceiveTimestamp' | 'visibleAt' | 'receiptHandle'
>;

/**
 * One change to the queues, as one journal line. Each entry sets state by copy id (none adds to a
 * count), so replaying a journal over a snapshot that already holds some of its entries (a crash
 * between a compaction's snapshot write and its journal truncation) ends in the same state.
 */
export type SqsJournalEntry =
  /** A queue created, or its attributes set. */
  | { readonly op: 'queue'; readonly queue: Omit<StoredQueue, 'messages'> }
  /** Copies sent (appended to the queue). */
  | { readonly op: 'sent'; readonly queue: string; readonly messages: readonly StoredMessage[] }
  /** Copies received or made (in)visible. */
  | { readonly op: 'delivered'; readonly queue: string; readonly deliveries: readonly MessageDelivery[] }
  | { readonly op: 'deleted'; readonly queue: string; readonly copyIds: readonly string[] }
  | { readonly op: 'purged'; readonly queue: string }
  /** Copies moved to the dead-letter queue `target` (as they arrive there), in one line so none is lost or doubled. */
  | {
      readonly op: 'redriven';
      readonly queue: string;
      readonly target: string;
      readonly messages: readonly StoredMessage[];
    };

/** Journal lines after which the journal is folded into the snapshot. */
const COMPACT_AFTER_ENTRIES = 10_000;

/**
 * Persistence of the SQS stand-in: a JSON snapshot of every queue plus an append-only journal
 * (`<snapshot>.journal`, one JSON entry a line). Each change appends one line, synchronously,
 * before the call that made it returns, so a restart loses nothing a caller was answered for;
 * rewriting the whole snapshot on every call cost about 13 % of a local run's CPU. The journal is
 * folded into the snapshot on open and every `COMPACT_AFTER_ENTRIES` lines (snapshot written
 * atomically first, then the journal emptied). A torn last line (the process killed mid-append,
 * before its caller was answered) is ignored.
 */
export class SqsJournal {
  private readonly journalPath: string;
  private entries = 0;

  constructor(
    private readonly snapshotPath: string,
    private readonly compactAfter = COMPACT_AFTER_ENTRIES,
  ) {
    this.journalPath = `${snapshotPath}.journal`;
  }

  /** The queues as the snapshot and the journal after it leave them; folds the journal into the snapshot. */
  load(): Map<string, StoredQueue> {
    const queues = new Map<string, StoredQueue>();
    const snapshot = readJsonSnapshot(this.snapshotPath);
    if (Array.isArray(snapshot)) {
      for (const queue of snapshot as StoredQueue[]) queues.set(queue.name, queue);
    }
    if (existsSync(this.journalPath)) {
      const lines = readFileSync(this.journalPath, 'utf8').split('\n');
      for (const [index, line] of lines.entries()) {
        if (line === '') continue;
        let entry: SqsJournalEntry;
        try {
          entry = JSON.parse(line) as SqsJournalEntry;
        } catch (error) {
          if (index === lines.length - 1) break;
          throw new Error(`SQS stand-in journal ${this.journalPath}: line ${index + 1} is not JSON`, {
            cause: error,
          });
        }
        applyJournalEntry(queues, entry);
      }
      this.compact(queues.values());
    }
    return queues;
  }

  /** Appends one change; `queues` is the state after it, written out when the journal is compacted. */
  append(entry: SqsJournalEntry, queues: () => Iterable<StoredQueue>): void {
    appendFileSync(this.journalPath, `${JSON.stringify(entry)}\n`);
    this.entries += 1;
    if (this.entries >= this.compactAfter) this.compact(queues());
  }

  private compact(queues: Iterable<StoredQueue>): void {
    writeJsonSnapshot(this.snapshotPath, [...queues]);
    writeFileSync(this.journalPath, '');
    this.entries = 0;
  }
}

/** Applies one journal entry to `queues` (replay on open). */
export function applyJournalEntry(queues: Map<string, StoredQueue>, entry: SqsJournalEntry): void {
  if (entry.op === 'queue') {
    const existing = queues.get(entry.queue.name);
    if (existing === undefined) queues.set(entry.queue.name, { ...entry.queue, messages: [] });
    else existing.attributes = { ...entry.queue.attributes };
    return;
  }
  const queue = queues.get(entry.queue);
  if (queue === undefined) return;
  switch (entry.op) {
    case 'sent':
      upsert(queue, entry.messages);
      return;
    case 'delivered': {
      const byCopy = new Map(queue.messages.map((message) => [message.copyId, message]));
      for (const delivery of entry.deliveries) {
        const message = byCopy.get(delivery.copyId);
        if (message !== undefined) Object.assign(message, delivery);
      }
      return;
    }
    case 'deleted': {
      const gone = new Set(entry.copyIds);
      queue.messages = queue.messages.filter((message) => !gone.has(message.copyId));
      return;
    }
    case 'purged':
      queue.messages = [];
      return;
    case 'redriven': {
      const moved = new Set(entry.messages.map((message) => message.copyId));
      queue.messages = queue.messages.filter((message) => !moved.has(message.copyId));
      const target = queues.get(entry.target);
      if (target !== undefined) upsert(target, entry.messages);
      return;
    }
  }
}

/** Adds copies not yet in the queue (a replay over a snapshot that holds them adds nothing). */
function upsert(queue: StoredQueue, messages: readonly StoredMessage[]): void {
  const known = new Set(queue.messages.map((message) => message.copyId));
  for (const message of messages) {
    if (!known.has(message.copyId)) queue.messages.push({ ...message });
  }
}
