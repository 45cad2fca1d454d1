import { describe, expect, it } from 'vitest';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { TINY_WORLD, tinyConfig, tinyRequest } from './tiny-scenario.js';

/**
 * The tiny scenario on Spot instances reclaimed every 6 minutes on average, for an hour of blocks:
 * 4 vCPUs over four compute environments (two stages, Spot and on-demand each), so the range stage
 * has one Spot and one on-demand GPU.
 */
function spotRequest(seed: number) {
  return tinyRequest({
    raw: tinyConfig((raw) => {
      raw.aws = { maxVcpus: 4, spot: true };
    }),
    hours: 1,
    seed,
    world: { ...TINY_WORLD, fleet: { ...TINY_WORLD.fleet, spotInterruptionsPerHour: 10 } },
  });
}

describe('planner runs', () => {
  it('gives the same figures for the same seed, and other figures for another seed', async () => {
    // Prepare
    const figuresOf = async (seed: number) =>
      JSON.stringify(planFigures(await simulatePlan(configuredScenario(spotRequest(seed)))));

    // Act
    const [first, again, other] = [await figuresOf(7), await figuresOf(7), await figuresOf(8)];

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(JSON.parse(first).spotReclaims).toBeGreaterThan(0);
  });

  it('retries a job whose Spot host was reclaimed and still proposes every block', async () => {
    // Prepare
    const scenario = configuredScenario(spotRequest(7));

    // Act
    const figures = planFigures(await simulatePlan(scenario));

    // Assess
    expect(figures.spotReclaims).toBeGreaterThan(0);
    expect(figures.unproposedBlocks).toBe(0);
    expect(figures.errors).toEqual([]);
  });

  it('with --proposer wake, checkpoints as the aggregate forms and proposes as its proof arrives', async () => {
    // Prepare: as the hand-worked scenario up to 410, when the aggregate forms; the woken run at
    // 411 checkpoints (confirmed 423), the aggregate proves 423-473, the run woken at 474 proposes,
    // included at 486. Lag of block k: 486 − 30k.
    const scenario = configuredScenario(tinyRequest({ proposer: 'wake' }));

    // Act
    const figures = planFigures(await simulatePlan(scenario));

    // Assess
    expect(figures.lagSeconds).toEqual({ p50: 306, p95: 456, max: 456, mean: 321 });
    expect(figures.breakdownSeconds.checkpoint).toBe(13);
    expect(figures.breakdownSeconds.proposal).toBe(13);
  });
});
