import { describe, expect, it } from 'vitest';
import { sweepPlan } from '../../../scripts/plan/sweep.js';
import { tinyRequest } from './tiny-scenario.js';

describe('sweepPlan', () => {
  // By hand (tiny scenario): 5-block ranges on 1 GPU → p95 lag 522 s, GPU billed 380 s; a second
  // GPU changes nothing (range 5-10 starts on the warm first one). 10-block ranges → one range
  // proven 360-460, the aggregate 492-542, proposed at 612: p95 582 s, GPU billed 290 s, cheaper.
  const grid = { rangeSizes: [5, 10], gpus: [2, 1] };

  it('takes the cheaper 10-block ranges when both sizes meet the target', async () => {
    // Prepare / Act
    const result = await sweepPlan(tinyRequest(), grid, 600);

    // Assess
    expect(result.cheapest).toMatchObject({ rangeSize: 10, gpus: 1, p95LagSeconds: 582, meetsTarget: true });
    expect(result.tried.map((p) => [p.rangeSize, p.gpus, p.p95LagSeconds, p.usdPerDay])).toEqual([
      [5, 1, 522, 888.47],
      [10, 1, 582, 882.67],
    ]);
  });

  it('takes 5-block ranges when only they meet the target, after trying both GPU caps of 10', async () => {
    // Prepare / Act
    const result = await sweepPlan(tinyRequest(), grid, 530);

    // Assess
    expect(result.cheapest).toMatchObject({ rangeSize: 5, gpus: 1, p95LagSeconds: 522 });
    expect(result.tried.map((p) => [p.rangeSize, p.gpus, p.meetsTarget])).toEqual([
      [5, 1, true],
      [10, 1, false],
      [10, 2, false],
    ]);
  });

  it('says so when no setting meets the target', async () => {
    // Prepare / Act
    const result = await sweepPlan(tinyRequest(), grid, 100);

    // Assess
    expect(result.cheapest).toBeUndefined();
    expect(result.tried).toHaveLength(4);
  });
});
