import type { PipelineStatus } from '../status/read-status.js';

/** One sample of the heads: the L2's latest block and each pipeline head (null while unknown). */
export interface HeadSample {
  readonly at: string;
  readonly heads: Readonly<Record<string, bigint | null>>;
}

/** The name of the L2's latest block in a sample, beside the status's own head names. */
export const L2_LATEST = 'L2 latest';

/**
 * The heads over the run, kept in memory by the dashboard server (the oldest samples dropped past
 * `capacity`, so a long run keeps a bounded window).
 */
export class HeadHistory {
  private readonly samples: HeadSample[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2)
      throw new RangeError(`HeadHistory: capacity must be a whole number ≥ 2 (got ${capacity})`);
  }

  /** Records the heads of one status read. */
  add(status: PipelineStatus): void {
    const heads: Record<string, bigint | null> = { [L2_LATEST]: status.l2.latest.block };
    for (const head of status.heads) heads[head.name] = head.block ?? null;
    this.samples.push({ at: status.at, heads });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** The samples, oldest first. */
  list(): readonly HeadSample[] {
    return this.samples;
  }
}
