import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import type { Envelope } from '../../lambdas/core/messages/envelope.js';
import { keyInterval } from '../../lambdas/core/messages/ids.js';
import type { Prng } from './prng.js';
import type { SimulatedL2 } from './simulated-l2.js';

/** L2 reorgs per seed at most (each one rewinds the pipeline once the watcher sees it). */
const MAX_L2_REORGS = 3;
/** Old-branch messages held back per reorg, to be delivered again after the rewind. */
const LATE_PER_REORG = 3;

/** The watcher's progress as the injector needs it: its cursor and its rewind generation. */
export interface WatcherProgress {
  readonly position: bigint;
  readonly rewinds: number;
}

/**
 * Injects L2 reorgs into a seed, driven by its PRNG: the L2 reorganises above an ancestor no
 * deeper than `watcher.maxReorgDepth` below its head and the watcher's cursor, never below the
 * oracle's head (so the
 * pipeline must rewind, not halt), the new branch's head somewhere above the ancestor. A few of the
 * old branch's messages already published (blocks and proofs above the ancestor) are held back and
 * handed out again once the watcher's rewind generation has moved past the reorg: an SQS message
 * published before the rewind and delivered after it.
 */
export class L2ReorgInjector {
  private late: { envelope: Envelope; afterGeneration: number }[] = [];

  constructor(
    private readonly l2: SimulatedL2,
    private readonly rng: Prng,
    private readonly config: PipelineConfig,
    private readonly count: (fault: string) => void,
  ) {}

  /** Whether a reorg may be injected now (the budget left and room above the oracle's head). */
  canReorg(proposedHead: bigint): boolean {
    return this.l2.reorgs < MAX_L2_REORGS && this.l2.headNumber > proposedHead + 1n;
  }

  /** Reorganises the L2 above a random ancestor; `published` is every message on the bus so far. */
  reorg(proposedHead: bigint, watcher: WatcherProgress, published: readonly Envelope[]): void {
    // The rewind walks down from the watcher's cursor, which may be above a shorter branch's head.
    const top = maxBigInt(this.l2.headNumber, watcher.position);
    const lowest = maxBigInt(proposedHead, top - BigInt(this.config.watcher.maxReorgDepth));
    if (lowest >= this.l2.headNumber) return;
    const ancestor = lowest + BigInt(this.rng.int(0, Number(this.l2.headNumber - 1n - lowest)));
    const head = ancestor + BigInt(this.rng.int(1, Number(this.l2.headNumber - ancestor)));
    this.l2.reorg(ancestor, head);
    this.count('l2-reorg');
    // Nothing above the cursor was enqueued: no old-branch message, and no rewind to wait for.
    if (ancestor >= watcher.position) return;
    const stale = published.filter((e) => this.endOf(e) > ancestor);
    for (let i = 0; i < LATE_PER_REORG && stale.length > 0; i++) {
      const [envelope] = stale.splice(this.rng.int(0, stale.length - 1), 1) as [Envelope];
      this.late.push({ envelope, afterGeneration: watcher.rewinds });
    }
  }

  /** The held-back old-branch messages whose rewind is done, to be delivered now. */
  takeLate(watcher: WatcherProgress): Envelope[] {
    const due = this.late.filter((l) => watcher.rewinds > l.afterGeneration);
    this.late = this.late.filter((l) => watcher.rewinds <= l.afterGeneration);
    for (const _ of due) this.count('late-old-branch-delivery');
    return due.map((l) => l.envelope);
  }

  /** Old-branch messages still held back. */
  get holding(): number {
    return this.late.length;
  }

  private endOf(envelope: Envelope): bigint {
    const kind = envelope.topic === this.config.watcher.outputTopic ? 'block' : 'range';
    return keyInterval(envelope.key, kind).end;
  }
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
