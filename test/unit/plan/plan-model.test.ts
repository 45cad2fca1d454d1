import { describe, expect, it } from 'vitest';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { tinyRequest } from './tiny-scenario.js';

describe('the planner on a scenario worked out by hand', () => {
  it('gives the exact lag, breakdown, floor, utilisation and cost of ten blocks on one GPU', async () => {
    // Prepare: blocks k = 1…10 at 30k s, finalized at 30k+10; the watcher ticks every 10 s. At 160
    // it enqueues 1-5: range 0-5 submitted, a cold GPU ready at 210, proven at 310. At 310 range
    // 5-10 goes on the warm GPU, proven at 410: the aggregate 0-10 forms. The proposer run at 420
    // sends a checkpoint, confirmed at 432; the aggregate proves 432-482 (range 10-15, submitted at
    // 460, then runs from 482). The run at 540 proposes, included at 552. Lag of block k: 552 − 30k.
    const scenario = configuredScenario(tinyRequest());

    // Act
    const figures = planFigures(await simulatePlan(scenario));

    // Assess
    expect(figures.lagSeconds).toEqual({ p50: 372, p95: 522, max: 522, mean: 387 });
    expect(figures.breakdownSeconds).toEqual({
      finality: 10,
      rangeWait: 60,
      queue: 25,
      proving: 100,
      aggregateWait: 50,
      checkpoint: 22,
      aggregate: 50,
      proposal: 70,
    });
    // Floor of block 1: 270 s for blocks 2-10 to come + 10 finality + 100 range + 50 aggregate + 12 L1.
    expect(figures.floorSeconds).toBe(442);
    expect(figures.ratio).toBe(1.181);
    // One instance billed 160 → 540 s (380 s); busy 100 + 100 + 50 s and range 10-15 since 482.
    expect(figures.instanceHours).toBe(0.11);
    expect(figures.gpuUtilization).toBe(0.811);
    // Jobs waited 160-210 with nothing running and 460-482 with the GPU busy: 22 of 72 s.
    expect(figures.backlogBusyShare).toBe(0.306);
    // 380 s × $0.8048/h = $0.084951; L1 150,000 gas × 10 gwei × $2,000 = $3.00; over 10 blocks.
    expect(figures.usdPerL2Block).toBeCloseTo(0.308495, 6);
    expect(figures.usdPerTx).toBeCloseTo(0.308495, 6);
    // × 2,880 blocks a day.
    expect(figures.usdPerDay).toBeCloseTo(888.47, 2);
    expect({ proposals: figures.proposals, checkpoints: figures.checkpoints }).toEqual({
      proposals: 1,
      checkpoints: 1,
    });
    expect(figures.unproposedBlocks).toBe(0);
    expect(figures.errors).toEqual([]);
  });
});
