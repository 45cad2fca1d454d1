import { describe, expect, it } from 'vitest';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { TINY_WORLD, tinyConfig, tinyRequest } from './tiny-scenario.js';

/**
 * The tiny scenario with two range GPUs, the proposer woken, and stragglers at share 0.5: seed 19
 * makes range 5-10's job (`range-5-10-a1`) the only straggler among the jobs that decide the first
 * proposal (range 0-5, range 5-10's hedge, range 10-15, aggregate 0-10 take their modelled time).
 */
function stragglerRequest(hedge: boolean) {
  return tinyRequest({
    raw: tinyConfig((raw) => {
      raw.aws = { maxVcpus: 4 * raw.stages[0].executor.resources.vcpus, spot: false };
      if (hedge)
        Object.assign(raw.stages[0].executor, {
          hedge: { afterP90Multiple: 1, minSamples: 1, maxShare: 1, queue: 'on-demand' },
        });
    }),
    proposer: 'wake',
    seed: 19,
    world: { ...TINY_WORLD, proving: { ...TINY_WORLD.proving, stragglerShare: 0.5, stragglerFactor: 3 } },
  });
}

describe('the planner with a straggler, worked out by hand', () => {
  it('proposes 50 s sooner when the straggling range is hedged at 1 × its p90', async () => {
    // Prepare: range 0-5 runs 210-310 (a cold GPU, 100 s: the bucket's one sample). Range 5-10
    // straggles on the warm GPU from 310 (3 × 100 s: done at 610). Sweeps run every 20 s (the
    // watcher's 10 s ticks, 15 s apart at least): the one at 410 sees it running 100 s ≥ 1 × p90 and
    // submits the hedge on-demand; a second GPU launched at 410 is ready at 460, the hedge proves
    // 460-560, wins, and the straggler is stopped. The aggregate forms at 560 (unhedged: 610); the
    // woken proposer checkpoints at 561 (confirmed 573), the aggregate proves 573-623, the run woken
    // at 624 proposes, included at 636 (unhedged: 686). Lag of block k: 636 − 30k (686 − 30k).
    const [hedged, unhedged] = [stragglerRequest(true), stragglerRequest(false)];

    // Act
    const withHedge = planFigures(await simulatePlan(configuredScenario(hedged)));
    const without = planFigures(await simulatePlan(configuredScenario(unhedged)));

    // Assess
    expect(withHedge.lagSeconds).toEqual({ p50: 456, p95: 606, max: 606, mean: 471 });
    expect(without.lagSeconds).toEqual({ p50: 506, p95: 656, max: 656, mean: 521 });
    // Blocks 6-10 count from the winning job's start: the hedge's at 460 (queue 150 s, proving
    // 100 s); unhedged, the straggler's 310-610. Blocks 1-5: queue 50 s, proving 100 s.
    expect(withHedge.breakdownSeconds).toMatchObject({ queue: 100, proving: 100 });
    expect(without.breakdownSeconds).toMatchObject({ queue: 25, proving: 200 });
    // The floor knows no stragglers: 270 s for blocks 2-10 + 10 finality + 100 range + 50 aggregate + 12.
    expect([withHedge.floorSeconds, without.floorSeconds]).toEqual([442, 442]);
    expect([withHedge.unproposedBlocks, without.unproposedBlocks]).toEqual([0, 0]);
    expect([withHedge.errors, without.errors]).toEqual([[], []]);
  });
});
