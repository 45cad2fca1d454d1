import * as z from 'zod';
import { budgetId } from '../../messages/ids.js';
import type { StateStore, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';

/** How long a day's spend item is kept after its day (DynamoDB TTL; the operator may look back). */
const SPEND_RETENTION_DAYS = 35;

const spendDataSchema = z.object({
  stage: z.string(),
  day: z.string(),
  /** GPU-seconds of the jobs counted so far (run time × GPUs, at least one). */
  gpuSeconds: z.number().min(0),
  /** Of `gpuSeconds`, what hedge jobs spent (`executor.hedge`: the spend cap's numerator). */
  hedgeGpuSeconds: z.number().min(0).optional(),
  /** The names of the jobs counted, so a redelivered completion is not counted twice. */
  jobs: z.array(z.string()),
  /** Set while new submissions of the stage wait for the budget: why, and since when. */
  waiting: z.object({ reason: z.string(), since: z.string() }).optional(),
});

/** A stage's spend on one UTC day, as stored in `budget/<stage>/<yyyy-mm-dd>`. */
export type DaySpend = z.output<typeof spendDataSchema>;

/** The UTC day (`yyyy-mm-dd`) of a moment: the budget's unit. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * One stage's spend on one UTC day (item `budget/<stage>/<day>`, status `waiting` while its budget
 * holds submissions back, else `open`). Every write is version-conditional and a lost race is read
 * again, so concurrent job completions add up; a job's name is recorded with its seconds, so a
 * redelivered completion adds nothing. One item holds a day's job names: ~10,000 jobs per stage and
 * day fit DynamoDB's 400 KB.
 */
export class StageSpend {
  constructor(
    private readonly store: StateStore,
    readonly stage: string,
    readonly day: string,
  ) {}

  /** The day's spend (zero when nothing was counted yet). */
  async read(): Promise<DaySpend> {
    return (await this.readItem()).data;
  }

  /**
   * Adds a finished job's GPU-seconds once per job name (a hedge's also to `hedgeGpuSeconds`).
   * Returns the day's spend after it.
   */
  async add(
    jobName: string,
    gpuSeconds: number,
    options: { readonly hedge?: boolean } = {},
  ): Promise<{ spend: DaySpend; counted: boolean }> {
    for (;;) {
      const { item, data } = await this.readItem();
      if (data.jobs.includes(jobName)) return { spend: data, counted: false };
      const next = {
        ...data,
        gpuSeconds: data.gpuSeconds + gpuSeconds,
        jobs: [...data.jobs, jobName],
        ...(options.hedge === true ? { hedgeGpuSeconds: (data.hedgeGpuSeconds ?? 0) + gpuSeconds } : {}),
      };
      if (await this.write(item, next)) return { spend: next, counted: true };
    }
  }

  /** Stores the wait's reason (kept `since` while it does not change). Returns false on a lost race. */
  async markWaiting(reason: string, now: Date): Promise<boolean> {
    const { item, data } = await this.readItem();
    if (data.waiting?.reason === reason) return true;
    return this.write(item, {
      ...data,
      waiting: { reason, since: data.waiting?.since ?? now.toISOString() },
    });
  }

  /** Clears a stored wait (the budget was raised). Returns false on a lost race. */
  async clearWaiting(): Promise<boolean> {
    const { item, data } = await this.readItem();
    if (data.waiting === undefined) return true;
    const { waiting: _cleared, ...rest } = data;
    return this.write(item, rest);
  }

  private async readItem(): Promise<{ item: StoredItem | undefined; data: DaySpend }> {
    const id = budgetId(this.stage, this.day);
    const item = await this.store.get(id);
    if (item === undefined)
      return { item, data: { stage: this.stage, day: this.day, gpuSeconds: 0, jobs: [] } };
    return { item, data: parseItemData(spendDataSchema, item.data, 'budget item', id) };
  }

  private async write(item: StoredItem | undefined, data: DaySpend): Promise<boolean> {
    const next = {
      id: budgetId(this.stage, this.day),
      kind: 'budget',
      status: data.waiting === undefined ? 'open' : 'waiting',
      sortKey: `${this.stage}/${this.day}`,
      data,
      expiresAt: Math.floor(Date.parse(`${this.day}T00:00:00Z`) / 1000) + SPEND_RETENTION_DAYS * 86_400,
    };
    return item === undefined ? this.store.create(next) : this.store.replace(next, item.version);
  }
}
