import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runScheduledCollectors } from '../../../../lambdas/core/orchestrator/scheduled-collectors.js';
import { SWEEP_INTERVAL_SECONDS } from '../../../../lambdas/core/orchestrator/sweep-schedule.js';
import { blockEnvelope, makeDeps } from './orchestrator-fixture.js';
import { recordingStore } from './recording-store.js';

/** The calls of the aggregate stage (its cursor, switch, breaker, inbox and groups). */
const aggregateCalls = (calls: readonly string[]) =>
  calls.filter((call) => /aggregate|range-proofs/.test(call));

describe('the scheduled collector run (the watcher tick)', () => {
  it('looks at a stage that never flushes on time only when its sweep is due', async () => {
    // Prepare: devnet config: range flushes after maxWait 20 s, aggregate (minSpan) never on time.
    const t = makeDeps();
    const { store, calls } = recordingStore(t.store);
    const deps = { ...t.deps, store };

    // Act
    await runScheduledCollectors(deps);
    const first = aggregateCalls(calls.splice(0));
    t.clock.advanceSeconds(2);
    await runScheduledCollectors(deps);
    const between = calls.splice(0);
    t.clock.advanceSeconds(SWEEP_INTERVAL_SECONDS);
    await runScheduledCollectors(deps);
    const due = aggregateCalls(calls.splice(0));

    // Assess: the range stage is read on this tick (its flush check is due); the aggregate stage only with its sweeps.
    expect(first).toContain('list group#aggregate running');
    expect(aggregateCalls(between)).toEqual([]);
    // (the range stage read its cursor and the blocks it expects next in one batch)
    expect(between.filter((call) => call.includes('cursor/range'))).toHaveLength(1);
    expect(due).toContain('list group#aggregate running');
    expect(due).toContain('list message#range-proofs pending');
  });

  it('still flushes a partial group past its max wait on a tick between sweeps', async () => {
    // Prepare: a first tick swept; blocks 1-2 recorded (a partial range group of 5).
    const t = makeDeps();
    await runScheduledCollectors(t.deps);
    for (let n = 1n; n <= 2n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    t.clock.advanceSeconds(1);
    await runScheduledCollectors(t.deps);
    t.clock.advanceSeconds(20);
    expect(21).toBeLessThan(SWEEP_INTERVAL_SECONDS);

    // Act
    const outcome = await runScheduledCollectors(t.deps);

    // Assess
    expect(outcome.groups.map((handover) => handover.groupId)).toEqual(['range/0-2']);
  });

  it('looks at a stage that flushes on time once per tenth of its max wait, not on every tick', async () => {
    // Prepare: range's maxWait is 20 s: looked at every 2 s; a first tick swept.
    const t = makeDeps();
    const { store, calls } = recordingStore(t.store);
    const deps = { ...t.deps, store };
    await runScheduledCollectors(deps);
    calls.splice(0);
    const rangeReads: number[] = [];

    // Act: ticks each second, for 4 s (between sweeps).
    for (let tick = 1; tick <= 4; tick++) {
      t.clock.advanceSeconds(1);
      await runScheduledCollectors(deps);
      rangeReads.push(calls.splice(0).filter((call) => call.includes('cursor/range')).length);
    }

    // Assess
    expect(rangeReads.map((reads) => reads > 0)).toEqual([false, true, false, true]);
  });
});
