import { describe, expect, it } from 'vitest';
import { formatFigures } from '../../../scripts/plan/format-plan.js';
import { planFigures } from '../../../scripts/plan/plan-report.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { tinyRequest } from './tiny-scenario.js';

const SETTINGS = { chain: 'tiny', gpus: 1, rangeSize: 5, proposer: 'schedule', hours: 300 / 3600, seed: 1 };

describe('the planner when no block of the window was proposed', () => {
  // Prepare: the hand-worked tiny scenario given 36 s after its window; its last event before 336 s
  // is the watcher's tick at 330 s, where it stops. Range 0-5 was
  // submitted at 160, started at 210 on a cold GPU and proven at 310; range 5-10 was submitted and
  // started at 310 on the warm GPU and is still proving. No aggregate formed, nothing was proposed.
  const run = async () =>
    planFigures(await simulatePlan(configuredScenario(tinyRequest({ drainHours: 0.01 }))));

  it('gives the means of the steps blocks reached, and null for the steps none reached', async () => {
    // Act
    const figures = await run();

    // Assess: finality 10 s for all ten; range wait 120, 90, 60, 30, 0 s in each range (mean 60);
    // queue 50 s for blocks 1-5 and 0 for 6-10 (mean 25); proving 100 s for blocks 1-5 only.
    expect(figures.breakdownOver).toBe('reached');
    expect(figures.breakdownSeconds).toEqual({
      finality: 10,
      rangeWait: 60,
      queue: 25,
      proving: 100,
      aggregateWait: null,
      checkpoint: null,
      aggregate: null,
      proposal: null,
    });
    // Lag of block k so far: 330 − 30k, a lower bound.
    expect(figures.lagSeconds).toEqual({ p50: 150, p95: 300, max: 300, mean: 165 });
    expect(figures.unproposedBlocks).toBe(10);
    // One instance billed 160 → 330 s: 170 s × $0.8048/h = $0.038; no L1 transaction.
    expect(figures.usdTotal).toBe(0.04);
    expect(JSON.parse(JSON.stringify(figures))).toMatchObject({
      usdPerDay: null,
      usdPerL2Block: null,
      usdPerTx: null,
    });
  });

  it('says in the text which blocks the breakdown is over and that the cost per block is unknown', async () => {
    // Prepare
    const figures = await run();

    // Act
    const lines = formatFigures('planned', SETTINGS, figures);

    // Assess
    expect(lines).toContain(
      '  mean breakdown: no block of the window was proposed; over the blocks that reached each step (s): finality 10, range wait 60, queue 25, proving 100; reached by no block: aggregate wait, checkpoint, aggregate, proposal',
    );
    expect(lines).toContain(
      '  cost: $0.04 over the simulation; per day, L2 block and tx unknown: no block was proposed (0 proposals, 0 checkpoints)',
    );
    expect(lines.join('\n')).not.toContain('NaN');
  });
});
