import type { ProvingStageConfig } from '../../../lambdas/core/config/stage-schema.js';
import { budgetId } from '../../../lambdas/core/messages/ids.js';
import { StageSpend, utcDay } from '../../../lambdas/core/orchestrator/budget/stage-spend.js';
import type { StateStore } from '../../../lambdas/core/ports/state-store.js';

/** A stage's cost guard today (UTC), as the status shows it. */
export interface StageBudget {
  /** `budget/<stage>/<yyyy-mm-dd>`. */
  readonly itemId: string;
  readonly day: string;
  readonly gpuHours: number;
  /** GPU-hours × `usdPerGpuHour`, when a price is configured. */
  readonly estimatedUsd?: number;
  readonly dailyGpuHours?: number;
  readonly dailyUsd?: number;
  /** Set while new submissions of the stage wait for the budget. */
  readonly waiting?: { readonly reason: string; readonly since: string };
}

/** Today's spend of a stage with `executor.budget` and its limits; undefined for a stage without one. */
export async function readStageBudget(
  store: StateStore,
  stage: ProvingStageConfig,
  now: Date,
): Promise<StageBudget | undefined> {
  const budget = stage.executor.budget;
  if (budget === undefined) return undefined;
  const spend = await new StageSpend(store, stage.name, utcDay(now)).read();
  const gpuHours = spend.gpuSeconds / 3600;
  return {
    itemId: budgetId(stage.name, spend.day),
    day: spend.day,
    gpuHours,
    ...(budget.usdPerGpuHour === undefined ? {} : { estimatedUsd: gpuHours * budget.usdPerGpuHour }),
    ...(budget.dailyGpuHours === undefined ? {} : { dailyGpuHours: budget.dailyGpuHours }),
    ...(budget.dailyUsd === undefined ? {} : { dailyUsd: budget.dailyUsd }),
    ...(spend.waiting === undefined ? {} : { waiting: spend.waiting }),
  };
}

/**
 * One line for the stage table, e.g. `1.5 of 24 GPU-h, $1.47 of $30 (2026-12-01)`; `-` without a
 * budget, `no daily limit` for a stage that only limits cycles per job.
 */
export function describeStageBudget(budget: StageBudget | undefined): string {
  if (budget === undefined) return '-';
  const round = (value: number) => Math.round(value * 100) / 100;
  const parts = [
    ...(budget.dailyGpuHours === undefined
      ? []
      : [`${round(budget.gpuHours)} of ${budget.dailyGpuHours} GPU-h`]),
    ...(budget.dailyUsd === undefined || budget.estimatedUsd === undefined
      ? []
      : [`$${round(budget.estimatedUsd)} of $${budget.dailyUsd}`]),
  ];
  const spent = parts.length === 0 ? `${round(budget.gpuHours)} GPU-h, no daily limit` : parts.join(', ');
  return `${spent} (${budget.day})${budget.waiting === undefined ? '' : ': waiting'}`;
}
