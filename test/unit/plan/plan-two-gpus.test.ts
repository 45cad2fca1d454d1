import { describe, expect, it } from 'vitest';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { TINY_WORLD, tinyConfig, tinyRequest } from './tiny-scenario.js';

/** The tiny scenario with 200-s range proofs on a range stage of two on-demand GPUs. */
function twoGpuRequest() {
  return tinyRequest({
    raw: tinyConfig((raw) => {
      // Two stages with one on-demand environment each: 2 vCPUs each, two 1-vCPU range jobs.
      raw.aws = { maxVcpus: 4, spot: false };
    }),
    world: { ...TINY_WORLD, proving: { ...TINY_WORLD.proving, rangeSetupSeconds: 200 } },
  });
}

describe('the planner on two GPUs, worked out by hand', () => {
  it('gives the exact lag, breakdown, floor, utilisation, backlog share and cost', async () => {
    // Prepare: blocks k = 1…10 at 30k s, finalized at 30k+10; the watcher ticks every 10 s.
    //   160 range 0-5 submitted; GPU A cold, ready at 210, proves 210-410.
    //   310 range 5-10 submitted; A is busy, so GPU B starts cold: ready at 360, proves 360-560.
    //   460 range 10-15 goes on A (idle since 410), proving till 660.
    //   560 range 5-10 done: the aggregate 0-10 forms.
    //   600 the proposer's run sends a checkpoint, confirmed at 612: the aggregate is submitted.
    //   610 range 15-20 took B (idle since 560), so the aggregate waits for A: it proves 660-710.
    //   720 the proposer's run proposes, included at 732. Lag of block k: 732 − 30k.
    const scenario = configuredScenario(twoGpuRequest());

    // Act
    const figures = planFigures(await simulatePlan(scenario));

    // Assess
    expect(scenario.gpus).toBe(2);
    expect(figures.lagSeconds).toEqual({ p50: 552, p95: 702, max: 702, mean: 567 });
    // Means over the ten blocks: range wait 120…0 s in each range; queue 50 s (cold starts);
    // aggregate wait 150 s for blocks 1-5 (done at 410) and 0 for 6-10; checkpoint 612 − 560;
    // aggregate 710 − 612 (its wait for A included); proposal 732 − 710. They add up to 567.
    expect(figures.breakdownSeconds).toEqual({
      finality: 10,
      rangeWait: 60,
      queue: 50,
      proving: 200,
      aggregateWait: 75,
      checkpoint: 52,
      aggregate: 98,
      proposal: 22,
    });
    // Floor of block 1: 270 s for blocks 2-10 + 10 finality + 200 range + 50 aggregate + 12 L1.
    expect(figures.floorSeconds).toBe(542);
    expect(figures.ratio).toBe(1.295);
    // Backlogs at the cap: 310-360 (B booting, A busy: 1 of 2) and 612-660 (both busy: 2 of 2);
    // 160-210 waited for a cold A below the cap, which is start-up, not a backlog.
    // (50 × 1 + 48 × 2) / (50 × 2 + 48 × 2) = 146 / 196.
    expect(figures.backlogBusyShare).toBe(0.745);
    // The simulation ends at 720, when the run that proposes the last window block sends it. A
    // billed 160-720 (560 s), B 310-720 (410 s): 970 s. Busy: A 200 + 200 + 50, B 200 + 110
    // (range 15-20 still proving at the end) = 760 s.
    expect(figures.instanceHours).toBe(0.27);
    expect(figures.gpuUtilization).toBe(0.784);
    // 970 s × $0.8048/h = $0.216849, plus L1 150,000 gas × 10 gwei × $2,000 = $3.00, over 10 blocks.
    expect(figures.usdPerL2Block).toBeCloseTo(0.321685, 6);
    expect({ proposals: figures.proposals, checkpoints: figures.checkpoints }).toEqual({
      proposals: 1,
      checkpoints: 1,
    });
    expect(figures.unproposedBlocks).toBe(0);
    expect(figures.errors).toEqual([]);
  });
});
