import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { exhaustionReason } from '../budget/budget-guard.js';
import type { DaySpend } from '../budget/stage-spend.js';

/**
 * Why a new hedge of `stage` must not start, or undefined when it may: the stage's day budget is
 * spent (`executor.budget`), or the day's hedge GPU-seconds — finished hedges, plus
 * `estimateGpuSeconds` for each hedge still running (`inFlight`) and for the new one — would pass
 * `maxShare` of all the stage's GPU-seconds today (hedges included). At the start of a UTC day
 * nothing was spent yet, so the first hedges come once some jobs have finished.
 * E.g. with `maxShare` 0.1 and 3000 GPU-seconds spent today, a 400 GPU-second hedge is held back:
 * `hedge-cap: range hedges would reach 400 of 300 GPU-seconds (0.1 of 3000 spent on 2025-01-01)`.
 */
export function hedgeCapReason(
  stage: ProvingStageConfig,
  today: DaySpend,
  estimateGpuSeconds: number,
  inFlight: number,
): string | undefined {
  const { budget, hedge } = stage.executor;
  if (hedge === undefined) return 'hedge-cap: the stage has no executor.hedge';
  if (budget !== undefined) {
    const spent = exhaustionReason(stage.name, budget, today);
    if (spent !== undefined) return spent;
  }
  const projected = (today.hedgeGpuSeconds ?? 0) + (inFlight + 1) * estimateGpuSeconds;
  const allowed = hedge.maxShare * today.gpuSeconds;
  if (projected <= allowed) return undefined;
  return (
    `hedge-cap: ${stage.name} hedges would reach ${Math.round(projected)} of ${Math.round(allowed)} GPU-seconds ` +
    `(${hedge.maxShare} of ${Math.round(today.gpuSeconds)} spent on ${today.day})`
  );
}
