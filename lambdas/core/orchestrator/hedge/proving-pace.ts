import * as z from 'zod';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { writeOver } from './write-over.js';

/** How many of a size's latest jobs the pace is taken over. */
export const PACE_SAMPLES = 20;

const paceDataSchema = z.object({
  sizeName: z.string(),
  /** The latest succeeded jobs, oldest first, at most `PACE_SAMPLES`: blocks proved and run seconds. */
  samples: z.array(z.object({ blocks: z.number().int().min(1), seconds: z.number().min(0) })),
});

/** The observed jobs of one adaptive size, as stored in `proving-pace/<sizeName>`. */
export type ObservedPace = z.output<typeof paceDataSchema>;

/** The id of an adaptive size's observed pace, e.g. `proving-pace/range`. */
export function provingPaceId(sizeName: string): string {
  return `proving-pace/${sizeName}`;
}

/**
 * Run seconds per block over `samples` (total seconds ÷ total blocks, so a job's fixed overhead is
 * spread over its blocks as it is in a job), or undefined for no samples.
 * @example secondsPerBlock([{ blocks: 10, seconds: 50 }, { blocks: 30, seconds: 110 }]) // 4
 */
export function secondsPerBlock(samples: ObservedPace['samples']): number | undefined {
  if (samples.length === 0) return undefined;
  const blocks = samples.reduce((sum, s) => sum + s.blocks, 0);
  return samples.reduce((sum, s) => sum + s.seconds, 0) / blocks;
}

/**
 * The latest exact (blocks, seconds) of the succeeded jobs of the stages sharing one adaptive
 * `sizeName` (one item): what an epoch's range size is chosen from. Unlike the hedge's size buckets
 * it keeps each job's block count, so seconds per block are not rounded to a power of two.
 * Writes are version-conditional and read again on a lost race.
 */
export class ProvingPace {
  constructor(
    private readonly store: StateStore,
    readonly sizeName: string,
  ) {}

  /** The stored samples (none yet: an empty list). */
  async read(): Promise<ObservedPace> {
    return (await this.readItem()).data;
  }

  /** Appends one job, dropping the oldest past `PACE_SAMPLES`. */
  async add(blocks: number, seconds: number): Promise<void> {
    for (;;) {
      const { item, data } = await this.readItem();
      const next = { ...data, samples: [...data.samples, { blocks, seconds }].slice(-PACE_SAMPLES) };
      const written = {
        id: provingPaceId(this.sizeName),
        kind: 'proving-pace',
        status: 'recorded',
        sortKey: this.sizeName,
        data: next,
      };
      if (await writeOver(this.store, written, item)) return;
    }
  }

  private async readItem(): Promise<{ item: StoredItem | undefined; data: ObservedPace }> {
    const id = provingPaceId(this.sizeName);
    const item = await this.store.get(id);
    if (item === undefined) return { item, data: { sizeName: this.sizeName, samples: [] } };
    return { item, data: parseItemData(paceDataSchema, item.data, 'proving pace item', id) };
  }
}
