import type { BudgetConfig } from '../../config/budget-schema.js';
import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { budgetId } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { type DaySpend, StageSpend, utcDay } from './stage-spend.js';

/**
 * The cost guard before a new submission of a stage (a collected group's first job, a retry, an
 * aggregate's start after its checkpoint): false while today's (UTC) spend has reached the stage's
 * `executor.budget.dailyGpuHours` or its estimated `dailyUsd`. Then the group waits where it is (as
 * for a paused stage or an open breaker: nothing is dropped or failed, in-flight jobs finish), the
 * reason is stored on the day's item (`budget/<stage>/<day>`, `data.waiting`), `BudgetWaiting` is 1
 * and a warning names it. The next collector run, sweep or proposer run after midnight UTC (a new,
 * empty day) or after the budget was raised starts it; `BudgetWaiting` goes back to 0.
 */
export async function budgetAllowsSubmit(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
): Promise<boolean> {
  const budget = stage.executor.budget;
  if (budget?.dailyGpuHours === undefined && budget?.dailyUsd === undefined) return true;
  const now = deps.clock.now();
  const spend = new StageSpend(deps.store, stage.name, utcDay(now));
  const today = await spend.read();
  const reason = exhaustionReason(stage.name, budget, today);
  const dimensions = { stage: stage.name };
  if (reason === undefined) {
    if (today.waiting !== undefined) await spend.clearWaiting();
    deps.metrics.gauge(METRIC.budgetWaiting, 0, dimensions);
    return true;
  }
  // A lost race leaves another writer's (newer) spend; the next held-back start writes the reason.
  await spend.markWaiting(reason, now);
  deps.metrics.gauge(METRIC.budgetWaiting, 1, dimensions);
  deps.logger.warn(
    'stage waits for its budget: new jobs start the next UTC day or once the budget is raised',
    {
      budgetId: budgetId(stage.name, today.day),
      stage: stage.name,
      reason,
    },
  );
  return false;
}

/**
 * Why the day's spend has reached the budget, e.g.
 * `budget-exhausted: range spent 24.2 of 24 GPU-hours on 2026-12-01`; undefined while it has not.
 */
export function exhaustionReason(stage: string, budget: BudgetConfig, spend: DaySpend): string | undefined {
  const gpuHours = spend.gpuSeconds / 3600;
  if (budget.dailyGpuHours !== undefined && gpuHours >= budget.dailyGpuHours) {
    return `budget-exhausted: ${stage} spent ${rounded(gpuHours)} of ${budget.dailyGpuHours} GPU-hours on ${spend.day}`;
  }
  if (budget.dailyUsd !== undefined && budget.usdPerGpuHour !== undefined) {
    const usd = gpuHours * budget.usdPerGpuHour;
    if (usd >= budget.dailyUsd) {
      return (
        `budget-exhausted: ${stage} spent an estimated $${rounded(usd)} of $${budget.dailyUsd} ` +
        `(${rounded(gpuHours)} GPU-hours at $${budget.usdPerGpuHour}) on ${spend.day}`
      );
    }
  }
  return undefined;
}

function rounded(value: number): number {
  return Math.round(value * 100) / 100;
}
