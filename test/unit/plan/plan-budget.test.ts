import { describe, expect, it } from 'vitest';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { tinyConfig, tinyRequest } from './tiny-scenario.js';

/** Nine minutes before midnight UTC: the virtual day turns at 540 s. */
const START = '2025-01-01T23:51:00.000Z';
const MIDNIGHT_SECONDS = 540;
/** The watcher's first tick at or after midnight whose sweep is due (`SWEEP_INTERVAL_SECONDS` 30 on 10 s ticks). */
const FIRST_SWEEP_OF_THE_DAY = MIDNIGHT_SECONDS + 10;

/** The tiny scenario over 20 blocks (four ranges of 100 s each, two aggregates), from START. */
async function runWith(rangeBudget?: { dailyGpuHours: number }) {
  const raw = tinyConfig((config) => {
    if (rangeBudget !== undefined) Object.assign(config.stages[0].executor, { budget: rangeBudget });
  });
  const scenario = { ...configuredScenario(tinyRequest({ raw, hours: 600 / 3600 })), startAt: START };
  return simulatePlan(scenario);
}

describe('planner: the cost guard on the virtual clock', () => {
  it('holds range jobs back once the day is spent and starts them when the next virtual day begins', async () => {
    // Prepare: 0.03 GPU-hours (108 s) a day: the second 100 s range job spends it
    const budget = { dailyGpuHours: 0.03 };
    // Act
    const [free, guarded] = [await runWith(), await runWith(budget)];
    // Assess: range 10-15 forms at 460 s; the guard holds it until the first sweep of the new day.
    // The watcher ticks every 10 s from 10 s and sweeps once 30 s have passed since its last sweep, so
    // every third tick sweeps (10 s, 40 s, … 520 s, 550 s): the first sweep of the new day is at 550 s.
    expect(free.timeline.at('rangeSubmitted', 15)).toBe(460);
    expect(guarded.timeline.at('rangeSubmitted', 10)).toBe(310);
    expect(guarded.timeline.at('rangeSubmitted', 15)).toBe(FIRST_SWEEP_OF_THE_DAY);
    expect(planFigures(guarded).lagSeconds.mean).toBeGreaterThan(planFigures(free).lagSeconds.mean);
    expect(guarded.proposedBlocks).toBe(20);
    expect(guarded.errors).toEqual([]);
  });
});
