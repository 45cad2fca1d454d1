import { describe, expect, it, vi } from 'vitest';
import { clearPause, setPause } from '../../../../lambdas/core/control/pause-switch.js';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, makeDeps } from './orchestrator-fixture.js';

const rangeStage = { kind: 'stage', stage: 'range' } as const;
const why = { reason: 'new prover image under test', by: 'alice', setter: 'operator' as const };

describe('a paused stage', () => {
  it('submits no job: groups stay collected, the switch is read once per batch, and the next sweep after the resume starts them', async () => {
    // Prepare: range paused before blocks 1-10 (two groups of five) arrive in one delivered batch
    const t = makeDeps();
    await setPause(t.store, rangeStage, { ...why, at: t.clock.now() });
    const get = vi.spyOn(t.store, 'get');
    const getMany = vi.spyOn(t.store, 'getMany');
    /** Reads of the switch, one by one or batched with the stage's other run reads. */
    const switchReads = () =>
      [...get.mock.calls.map(([id]) => [id]), ...getMany.mock.calls.map(([ids]) => ids)].filter((ids) =>
        ids.includes('pause/stage/range'),
      ).length;
    // Act
    const batch = new DeliveryBatch(t.deps);
    for (let n = 1n; n <= 10n; n++) await batch.record(blockEnvelope(n, t.clock));
    const { groups } = await batch.collect();
    // Assess: two groups formed and held back, one read of the switch for both, no failure counted
    expect(groups).toEqual([
      { groupId: 'range/0-5', status: 'paused' },
      { groupId: 'range/5-10', status: 'paused' },
    ]);
    expect(t.jobs.submitted).toEqual([]);
    expect(switchReads()).toBe(1);
    expect((await t.store.get('range/0-5'))!).toMatchObject({ status: 'collected', data: { attempt: 1 } });
    expect(t.metrics.points.at(-1)).toMatchObject({
      name: METRIC.paused,
      value: 1,
      dimensions: { target: 'stage:range' },
    });
    expect(
      t.logger.at('warn').some((e) => e.attributes?.reason === why.reason && e.attributes?.by === 'alice'),
    ).toBe(true);

    // Act: a sweep while paused starts nothing and reads the switch once more, not once per group
    get.mockClear();
    getMany.mockClear();
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });
    // Assess
    expect(t.jobs.submitted).toEqual([]);
    expect(switchReads()).toBe(1);

    // Act: resume, then the next sweep
    await clearPause(t.store, rangeStage);
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });
    // Assess: both groups run their first attempt; the gauge says not paused
    expect(t.jobs.submitted.map((job) => job.groupId)).toEqual(['range/0-5', 'range/5-10']);
    expect((await t.store.get('range/5-10'))!.status).toBe('running');
    expect(
      t.metrics.points
        .filter((p) => p.name === METRIC.paused && p.dimensions?.target === 'stage:range')
        .at(-1)?.value,
    ).toBe(0);
  });

  it('holds a failed group’s retry in `retried` (jobs already running finish), and the sweep after the resume starts it', async () => {
    // Prepare: range/0-5 running, then the stage is paused
    const t = makeDeps();
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await setPause(t.store, rangeStage, { ...why, at: t.clock.now() });
    // Act: its job fails (a prover failure with attempts left)
    const outcome = await finishJob(t.deps, {
      stage: 'range',
      groupId: 'range/0-5',
      attempt: 1,
      jobName: 'range-0-5-a1',
      status: 'FAILED',
      reason: 'Essential container in task exited',
    });
    t.clock.advanceSeconds(120);
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });
    // Assess: the failure counted once; the new attempt waits, not submitted, not failed again
    expect(outcome).toBe('retried');
    expect(t.jobs.submitted).toHaveLength(1);
    expect((await t.store.get('range/0-5'))!).toMatchObject({
      status: 'retried',
      data: { attempt: 2, failures: 1 },
    });

    // Act
    await clearPause(t.store, rangeStage);
    t.clock.advanceSeconds(120);
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });
    // Assess
    expect(t.jobs.submitted.map((job) => job.name)).toEqual(['range-0-5-a1', 'range-0-5-a2']);
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
  });
});
