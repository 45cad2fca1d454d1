import { describe, expect, it } from 'vitest';
import { jobOutputKey } from '../../../../lambdas/core/messages/blob-keys.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { COMPLETION_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/reconcile-running-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { provingStageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

/** Blocks 1..5 dispatched: group range/0-5 is running as job range-0-5-a1. */
async function runningRange(): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  expect((await t.store.get('range/0-5'))?.status).toBe('running');
  return t;
}

/** Seconds after which a running range job is overdue: its executor timeout plus the grace. */
function overdueSeconds(t: TestDeps): number {
  return provingStageNamed(t.deps.config, 'range').executor.timeoutSeconds + COMPLETION_GRACE_SECONDS;
}

describe('reconcileRunningGroups: jobs whose state change event never arrived', () => {
  it('completes a succeeded job once overdue, publishing its output as the event would have', async () => {
    // Prepare
    const t = await runningRange();
    await t.blobs.putJson(jobOutputKey('range', '0-5', 1), rangeResult(0n, 5n));
    t.jobs.setState('range-0-5-a1', { state: 'succeeded' });
    // Act: before the deadline nothing happens; after it the job is looked up and completed
    await runCollectors(t.deps, undefined, { sweeps: true });
    const before = (await t.store.get('range/0-5'))?.status;
    t.clock.advanceSeconds(overdueSeconds(t));
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect(before).toBe('running');
    expect((await t.store.get('range/0-5'))?.status).toBe('succeeded');
    expect(t.bus.published.map((e) => e.id)).toEqual(['range-proofs/0-5']);
  });

  it('retries a failed job under the next attempt, keeping the reason', async () => {
    // Prepare
    const t = await runningRange();
    t.jobs.setState('range-0-5-a1', { state: 'failed', reason: 'Essential container in task exited' });
    t.clock.advanceSeconds(overdueSeconds(t));
    // Act
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    const group = await t.store.get('range/0-5');
    expect(group?.status).toBe('running');
    expect(group?.data).toMatchObject({ attempt: 2, jobName: 'range-0-5-a2' });
    expect(t.jobs.byName('range-0-5-a2')).toBeDefined();
    expect(JSON.stringify(t.logger.entries)).toContain('Essential container in task exited');
  });

  it('treats a job the runner no longer knows as an infrastructure failure, and leaves an active job alone', async () => {
    // Prepare: a job still waiting for GPU capacity long after its timeout is not touched
    const t = await runningRange();
    t.clock.advanceSeconds(overdueSeconds(t) * 10);
    await runCollectors(t.deps, undefined, { sweeps: true });
    const whileActive = await t.store.get('range/0-5');
    t.jobs.setState('range-0-5-a1', { state: 'unknown' });
    // Act: the sweep fails it on infrastructure; the retry starts once its 30 s backoff is over
    await runCollectors(t.deps, undefined, { sweeps: true });
    const retried = await t.store.get('range/0-5');
    t.clock.advanceSeconds(30);
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess: not counted toward the stage's attempts
    expect(whileActive?.status).toBe('running');
    expect(whileActive?.data.attempt).toBe(1);
    expect(retried).toMatchObject({
      status: 'retried',
      data: { infraFailures: 1, failureClass: 'infrastructure' },
    });
    expect(retried?.data.failures).toBeUndefined();
    expect((await t.store.get('range/0-5'))?.data).toMatchObject({ attempt: 2, jobName: 'range-0-5-a2' });
  });

  it('records a job still RUNNABLE once overdue as a named wait: error log, metric, reason on the group', async () => {
    // Prepare
    const t = await runningRange();
    const runnable = {
      since: t.clock.now().toISOString(),
      reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
    };
    t.jobs.setState('range-0-5-a1', { state: 'active', runnable });
    // Act: before the look-up time nothing is recorded; after it, on two sweeps
    await runCollectors(t.deps, undefined, { sweeps: true });
    const before = t.metrics.total(METRIC.jobsRunnableTooLong);
    t.clock.advanceSeconds(overdueSeconds(t));
    await runCollectors(t.deps, undefined, { sweeps: true });
    const stored = await t.store.get('range/0-5');
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess: still running (not failed or retried), the reason stored once
    expect(before).toBe(0);
    expect(stored).toMatchObject({
      status: 'running',
      version: (await t.store.get('range/0-5'))?.version,
      data: {
        attempt: 1,
        waitReason: `runnable-too-long: RUNNABLE since ${runnable.since} (CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY)`,
      },
    });
    expect(t.metrics.total(METRIC.jobsRunnableTooLong)).toBe(2);
    expect(
      t.metrics.points.filter((p) => p.name === METRIC.jobsRunnableTooLong).map((p) => p.dimensions),
    ).toEqual([{ stage: 'range' }, { stage: 'range' }]);
    const errors = t.logger.entries.filter((entry) => entry.level === 'error');
    expect(errors.map((entry) => entry.attributes?.groupId)).toEqual(['range/0-5', 'range/0-5']);
  });
});
