import { describe, expect, it } from 'vitest';
import { stragglerFactor } from '../../../scripts/plan/straggler-model.js';
import { DEFAULT_PROVING } from '../../../scripts/plan/world-model.js';
import { tinyJobSpec as spec, POOL_T0 as T0, tinyJobPool } from './tiny-scenario.js';

describe('the planner’s straggler model', () => {
  it('slows a seeded share of jobs by the factor, the same job alike on every run, none at share 0', () => {
    // Prepare
    const names = Array.from({ length: 4000 }, (_, i) => `range-${i * 5}-${i * 5 + 5}-a1`);
    // Act
    const factors = names.map((name) => stragglerFactor(DEFAULT_PROVING, 7, name));
    const again = names.map((name) => stragglerFactor(DEFAULT_PROVING, 7, name));
    const none = names.map((name) => stragglerFactor({ ...DEFAULT_PROVING, stragglerShare: 0 }, 7, name));
    // Assess
    const share = factors.filter((f) => f === DEFAULT_PROVING.stragglerFactor).length / names.length;
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.06);
    expect(factors.every((f) => f === 1 || f === 3)).toBe(true);
    expect(again).toEqual(factors);
    expect(new Set(none)).toEqual(new Set([1]));
  });
});

describe('GpuPoolJobRunner: a hedge', () => {
  it('runs a hedge (queue on-demand) on the on-demand market beside a Spot job, and says since when a job runs', async () => {
    // Prepare: Spot first, two GPUs that start in 10 s
    const { schedule, fleet, runner } = tinyJobPool({ total: 2, spot: 2 }, true);
    // Act
    await runner.submit(spec('range-0-5-a1'));
    await runner.submit(spec('range-0-5-a1-h', { queue: 'on-demand' }));
    await schedule.runUntil(T0 + 500_000);
    const running = await runner.state({ stage: 'range', name: 'range-0-5-a1-h' });
    // Assess
    expect(running).toEqual({ state: 'active', startedAt: '2026-01-01T00:00:10.000Z' });
    const usage = fleet.usage(T0, T0 + 500_000);
    expect(usage.billedSeconds.spot).toBe(500);
    expect(usage.billedSeconds['on-demand']).toBe(500);
  });
});
