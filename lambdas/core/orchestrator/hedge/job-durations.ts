import * as z from 'zod';
import { jobDurationsId } from '../../messages/ids.js';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { p90 } from './duration-percentile.js';
import { writeOver } from './write-over.js';

/** How many of a bucket's latest durations are kept: enough for a p90, small enough for one item. */
export const DURATION_SAMPLES = 50;

const durationsDataSchema = z.object({
  stage: z.string(),
  bucket: z.number().int().min(1),
  /** Run seconds of the latest succeeded jobs, oldest first, at most `DURATION_SAMPLES`. */
  seconds: z.array(z.number().min(0)),
});

/** A stage's observed job durations of one size bucket, as stored in `durations/<stage>/<bucket>`. */
export type ObservedDurations = z.output<typeof durationsDataSchema>;

/**
 * The latest run times of one stage's succeeded jobs of one size bucket (one item, `durations/<stage>/<bucket>`):
 * what the hedge trigger's p90 comes from. Writes are version-conditional and read again on a lost race.
 */
export class JobDurations {
  constructor(
    private readonly store: StateStore,
    readonly stage: string,
    readonly bucket: number,
  ) {}

  /** The stored durations (none yet: an empty list). */
  async read(): Promise<ObservedDurations> {
    return (await this.readItem()).data;
  }

  /** The p90 of the stored durations and how many there are. */
  async p90(): Promise<{ readonly p90: number | undefined; readonly samples: number }> {
    const { seconds } = await this.read();
    return { p90: p90(seconds), samples: seconds.length };
  }

  /** Appends one duration, dropping the oldest past `DURATION_SAMPLES`. */
  async add(seconds: number): Promise<void> {
    for (;;) {
      const { item, data } = await this.readItem();
      const next = { ...data, seconds: [...data.seconds, seconds].slice(-DURATION_SAMPLES) };
      const written = {
        id: jobDurationsId(this.stage, this.bucket),
        kind: 'job-durations',
        status: 'recorded',
        sortKey: `${this.stage}/${this.bucket}`,
        data: next,
      };
      if (await writeOver(this.store, written, item)) return;
    }
  }

  private async readItem(): Promise<{ item: StoredItem | undefined; data: ObservedDurations }> {
    const id = jobDurationsId(this.stage, this.bucket);
    const item = await this.store.get(id);
    if (item === undefined) return { item, data: { stage: this.stage, bucket: this.bucket, seconds: [] } };
    return { item, data: parseItemData(durationsDataSchema, item.data, 'job durations item', id) };
  }
}
