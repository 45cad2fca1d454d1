import * as z from 'zod';
import { positiveInt } from '../schema/primitives.js';

/**
 * A block-keyed sequential stage's adaptive range size (`stages[].collector.adaptiveSize`): each
 * epoch of `epochBlocks` blocks (counted from `chains.l2.startBlock`) gets one range size, chosen
 * from the observed proving seconds per block so that a job runs about `targetSeconds`, within
 * [`minBlocks`, `maxBlocks`]. The size is stored once per epoch (`range-size/<sizeName>/<first block>`)
 * and only read after: the same blocks always give the same ranges. An epoch boundary always
 * closes a range. `groupSize` and `maxGasPerRange`, if set, still cap a range.
 *
 * @example
 * { "sizeName": "range", "targetSeconds": 600, "epochBlocks": 1800, "minBlocks": 30, "maxBlocks": 300 }
 */
export const adaptiveSizeSchema = z.strictObject({
  /**
   * Whose sizes and observations these are: stages that must cut identical ranges (a join's
   * provers) share one `sizeName`, and with it identical settings.
   */
  sizeName: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a size name of lower-case letters, digits and dashes'),
  /** The job run time to aim for: short enough that a Spot reclaim loses little. */
  targetSeconds: positiveInt,
  /** Blocks per epoch; an aggregate stage's `minSpan` reading this stage must be a multiple of it. */
  epochBlocks: positiveInt,
  /** The fewest blocks per range an epoch may get (a range closed by gas or an epoch end can be shorter). */
  minBlocks: positiveInt,
  /** The most blocks per range an epoch may get; ≤ `epochBlocks`. */
  maxBlocks: positiveInt,
  /**
   * The size of an epoch decided before any job of `sizeName` was observed.
   * @default minBlocks
   */
  initialBlocks: positiveInt.optional(),
});

/** A stage's adaptive range size settings. */
export type AdaptiveSizeConfig = z.output<typeof adaptiveSizeSchema>;
