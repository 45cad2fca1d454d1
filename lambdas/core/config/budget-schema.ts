import * as z from 'zod';
import { positiveInt } from '../schema/primitives.js';

const positiveNumber = z.number().positive('a number > 0');

/**
 * A stage's cost guard (`stages[].executor.budget`): a daily budget per UTC day in GPU-hours or
 * estimated dollars, and a per-job cycle limit. When today's spend reaches a budget, new submissions
 * of the stage wait (in-flight jobs finish, nothing is dropped) until the next UTC day or a raised
 * budget. A job's GPU-hours are its run time × `resources.gpus` (× 1 when the job asks for no GPU).
 *
 * @example
 * { "dailyGpuHours": 24, "dailyUsd": 30, "usdPerGpuHour": 0.98, "maxCyclesPerJob": 2000000000 }
 */
export const budgetSchema = z
  .strictObject({
    /** GPU-hours the stage's jobs may spend per UTC day. */
    dailyGpuHours: positiveNumber.optional(),
    /** Estimated dollars per UTC day: GPU-hours × `usdPerGpuHour`. */
    dailyUsd: positiveNumber.optional(),
    /** The price of one GPU-hour of the stage's instances, which the dollar estimate uses (required with `dailyUsd`). */
    usdPerGpuHour: positiveNumber.optional(),
    /** A result reporting more cycles than this is refused as a prover failure (so a range is bisected). */
    maxCyclesPerJob: positiveInt.optional(),
  })
  .superRefine((budget, context) => {
    if (budget.dailyUsd !== undefined && budget.usdPerGpuHour === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['usdPerGpuHour'],
        message: `required with dailyUsd (${budget.dailyUsd}): the price of one GPU-hour the dollar estimate uses`,
      });
    }
    const limits = [budget.dailyGpuHours, budget.dailyUsd, budget.maxCyclesPerJob];
    if (limits.every((limit) => limit === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'at least one of dailyGpuHours, dailyUsd or maxCyclesPerJob',
      });
    }
  });

export type BudgetConfig = z.output<typeof budgetSchema>;
