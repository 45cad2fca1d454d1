import type { ManualClock } from '../../lambdas/adapters/memory/manual-clock.js';

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly run: () => Promise<void>;
}

/**
 * Discrete-event time for the planner: actions are queued at virtual epoch milliseconds and run one
 * at a time in time order (ties in the order queued), the clock set to each action's time first.
 * A simulated day takes as long as its actions' code does, not a day.
 */
export class VirtualSchedule {
  private readonly heap: Entry[] = [];
  private seq = 0;

  constructor(readonly clock: ManualClock) {}

  /** Virtual now in epoch milliseconds. */
  get nowMs(): number {
    return this.clock.now().getTime();
  }

  /** Queues `run` `seconds` from now (0: after everything already due now). */
  after(seconds: number, run: () => Promise<void>): void {
    this.at(this.nowMs + seconds * 1000, run);
  }

  /** Queues `run` at epoch milliseconds `at` (never before now). */
  at(at: number, run: () => Promise<void>): void {
    this.push({ at: Math.max(at, this.nowMs), seq: this.seq++, run });
  }

  /** Runs due actions until the queue is empty or the next one is after `untilMs`. */
  async runUntil(untilMs: number, stop: () => boolean = () => false): Promise<void> {
    while (this.heap.length > 0 && (this.heap[0] as Entry).at <= untilMs && !stop()) {
      const entry = this.pop();
      this.clock.set(new Date(entry.at));
      await entry.run();
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent] as Entry)) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right] as Entry, heap[left] as Entry) ? right : left;
        if (!before(heap[child] as Entry, last)) break;
        heap[i] = heap[child] as Entry;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
