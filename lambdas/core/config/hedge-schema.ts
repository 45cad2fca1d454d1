import * as z from 'zod';
import { positiveInt } from '../schema/primitives.js';

/**
 * A stage's proof hedging (`stages[].executor.hedge`): when a job has run longer than
 * `afterP90Multiple` × the p90 duration observed for jobs of its size (or waits `RUNNABLE` past
 * `runnableSeconds`), a second job of the same attempt is submitted to another capacity pool; the
 * first valid result wins and the other job is terminated. Hedge GPU time per UTC day stays within
 * `maxShare` of the stage's GPU time that day.
 *
 * @example
 * { "afterP90Multiple": 2, "minSamples": 5, "runnableSeconds": 900, "maxShare": 0.1, "queue": "on-demand" }
 */
export const hedgeSchema = z.strictObject({
  /** Hedge a running job once its run time passes this multiple of the p90 duration of its size bucket. */
  afterP90Multiple: z.number().min(1, 'a multiple ≥ 1 of the p90 duration'),
  /**
   * Observed durations of the size bucket needed before any hedge (below it the p90 means little).
   * @default 5
   */
  minSamples: positiveInt.default(5),
  /** Also hedge a job that waits to be placed (Batch `RUNNABLE`) longer than this. */
  runnableSeconds: positiveInt.optional(),
  /** Hedge GPU-seconds today (UTC) ≤ this share of all the stage's GPU-seconds today, hedges included. */
  maxShare: z.number().gt(0, 'a share > 0').max(1, 'a share ≤ 1'),
  /** Where a hedge runs: the stage's on-demand-only job queue (another capacity pool than Spot). */
  queue: z.literal('on-demand').default('on-demand'),
});

/** A stage's hedging settings, defaults applied. */
export type HedgeConfig = z.output<typeof hedgeSchema>;
