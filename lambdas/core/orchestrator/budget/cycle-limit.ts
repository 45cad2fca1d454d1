import * as z from 'zod';
import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { PipelineError } from '../../errors.js';
import type { ProgramResult } from '../setup/program-plugin.js';

/** A job's results reported more cycles than its stage's `executor.budget.maxCyclesPerJob`: a prover failure. */
export class CycleLimitExceededError extends PipelineError {
  override readonly name: string = 'CycleLimitExceededError';
}

/** Every result document of the shipped programs reports the cycles its proof took. */
const reportedCycles = z.object({ cycles: z.number().int().min(0) });

/**
 * Refuses a job whose results report, summed, more cycles than the stage's
 * `executor.budget.maxCyclesPerJob`. `finishJob` treats it as a prover failure, so it counts toward
 * `executor.attempts` and, exhausted, a range is bisected into smaller jobs.
 * @throws CycleLimitExceededError naming the job, the cycles and the limit.
 */
export function assertWithinCycleLimit(
  stage: ProvingStageConfig,
  jobName: string,
  results: readonly ProgramResult[],
): void {
  const limit = stage.executor.budget?.maxCyclesPerJob;
  if (limit === undefined) return;
  let cycles = 0;
  for (const result of results) {
    const parsed = reportedCycles.safeParse(result.document);
    if (parsed.success) cycles += parsed.data.cycles;
  }
  if (cycles > limit) {
    throw new CycleLimitExceededError(
      `cycle-limit: job ${jobName} reported ${cycles} cycles, above stage ${stage.name}'s executor.budget.maxCyclesPerJob ${limit}`,
    );
  }
}
