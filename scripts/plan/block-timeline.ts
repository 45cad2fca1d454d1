/** The moments in a block's way from production to L1, in order. */
export const BLOCK_STAMPS = [
  'rangeSubmitted',
  'rangeStarted',
  'rangeDone',
  'aggregateFormed',
  'aggregateSubmitted',
  'aggregateDone',
  'proposed',
] as const;

export type BlockStamp = (typeof BLOCK_STAMPS)[number];

/** One sample of the three heads (block numbers) at a virtual time (seconds since the start). */
export interface HeadSample {
  readonly atSeconds: number;
  readonly l2Head: number;
  readonly provenHead: number;
  readonly proposedHead: number;
}

/**
 * Per-block times (seconds since the simulation start) of every stamp, for blocks
 * origin+1 … origin+capacity, set by span as the pipeline's events happen: the first submission of
 * a block's range and its aggregate's formation keep the earliest time, the other stamps the latest
 * (a retried job's successful start, a re-proof's result), `proposed` the first inclusion on L1.
 */
export class BlockTimeline {
  private readonly stamps = new Map<BlockStamp, Float64Array>();
  private proven = 0;
  readonly heads: HeadSample[] = [];

  constructor(
    readonly origin: bigint,
    readonly capacity: number,
  ) {
    for (const stamp of BLOCK_STAMPS) this.stamps.set(stamp, new Float64Array(capacity + 1).fill(Number.NaN));
  }

  /** Sets `stamp` to `atSeconds` for the blocks (start, end]. */
  mark(stamp: BlockStamp, span: { start: bigint; end: bigint }, atSeconds: number): void {
    const keepFirst = stamp === 'rangeSubmitted' || stamp === 'aggregateFormed' || stamp === 'proposed';
    const values = this.values(stamp);
    const from = Number(span.start - this.origin) + 1;
    const to = Math.min(Number(span.end - this.origin), this.capacity);
    for (let i = Math.max(from, 1); i <= to; i++) {
      if (!keepFirst || Number.isNaN(values[i] as number)) values[i] = atSeconds;
    }
  }

  /** The time of `stamp` for the block `offset` blocks after the origin (NaN if not reached). */
  at(stamp: BlockStamp, offset: number): number {
    return this.values(stamp)[offset] as number;
  }

  /** The highest block offset with every block up to it range-proven. */
  provenHead(): number {
    const done = this.values('rangeDone');
    while (this.proven < this.capacity && !Number.isNaN(done[this.proven + 1] as number)) this.proven += 1;
    return this.proven;
  }

  private values(stamp: BlockStamp): Float64Array {
    return this.stamps.get(stamp) as Float64Array;
  }
}
