import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import {
  BREAKER_COOL_DOWN_SECONDS,
  BREAKER_THRESHOLD,
} from '../../../../lambdas/core/orchestrator/group/stage-breaker.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

/** Devnet deps with range groups 0-5, 5-10, … running (attempt 1), one per 5 blocks. */
async function runningGroups(count: number): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= BigInt(5 * count); n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  return t;
}

function completion(index: number, attempt: number, status: 'SUCCEEDED' | 'FAILED') {
  const [start, end] = [index * 5, index * 5 + 5];
  return {
    stage: 'range',
    groupId: `range/${start}-${end}`,
    attempt,
    jobName: `range-${start}-${end}-a${attempt}`,
    status,
    ...(status === 'FAILED'
      ? { reason: 'CannotPullContainerError: pull access denied', failureClass: 'infrastructure' as const }
      : {}),
  };
}

describe('stage circuit breaker', () => {
  it('opens after infrastructure failures in a row, holds submissions back, and closes after a probe succeeds', async () => {
    // Prepare: six running groups; five fail on infrastructure in a row
    const t = await runningGroups(6);
    for (let i = 0; i < BREAKER_THRESHOLD; i++) await finishJob(t.deps, completion(i, 1, 'FAILED'));
    const submittedWhenOpened = t.jobs.submitted.length;
    // Act: the retries' backoff passes and a new group forms while the breaker is open
    t.clock.advanceSeconds(120);
    await runCollectors(t.deps);
    for (let n = 31n; n <= 35n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess: nothing new was submitted; the wait is stored, counted and logged by name
    expect(t.jobs.submitted.length).toBe(submittedWhenOpened);
    expect((await t.store.get('range/30-35'))!.status).toBe('collected');
    expect((await t.store.get('range/0-5'))!.status).toBe('retried');
    expect((await t.store.get('breaker/range'))!).toMatchObject({
      status: 'open',
      data: {
        infraFailuresInARow: BREAKER_THRESHOLD,
        reason: expect.stringMatching(/CannotPullContainerError/),
      },
    });
    expect(t.metrics.lastGauge(METRIC.breakerOpen)).toBe(1);
    expect(t.logger.at('warn').some((e) => e.attributes?.breakerId === 'breaker/range')).toBe(true);

    // Act: after the cool-down one probe goes through; the others keep waiting
    t.clock.advanceSeconds(BREAKER_COOL_DOWN_SECONDS);
    await runCollectors(t.deps);
    const probes = t.jobs.submitted.slice(submittedWhenOpened);
    // Assess
    expect(probes).toHaveLength(1);

    // Act: the probe succeeds, the breaker closes, the waiting groups are submitted
    const probe = probes[0]!;
    const index = Number(probe.groupId.split('/')[1]!.split('-')[0]) / 5;
    await t.blobs.putJson(probe.outputKey, rangeResult(BigInt(index * 5), BigInt(index * 5 + 5)));
    expect(await finishJob(t.deps, completion(index, probe.attempt, 'SUCCEEDED'))).toBe('succeeded');
    t.clock.advanceSeconds(120);
    await runCollectors(t.deps);
    // Assess
    expect((await t.store.get('breaker/range'))!.status).toBe('closed');
    expect(t.metrics.lastGauge(METRIC.breakerOpen)).toBe(0);
    const statuses = await Promise.all(
      [0, 1, 2, 3, 4, 6].map(async (i) => (await t.store.get(`range/${i * 5}-${i * 5 + 5}`))!.status),
    );
    expect(statuses.filter((status) => status !== 'running' && status !== 'succeeded')).toEqual([]);
  });

  it('does not open when a healthy outcome breaks the run of infrastructure failures', async () => {
    // Prepare
    const t = await runningGroups(6);
    for (let i = 0; i < BREAKER_THRESHOLD - 1; i++) await finishJob(t.deps, completion(i, 1, 'FAILED'));
    await t.blobs.putJson('jobs/range/20-25/a1/output.json', rangeResult(20n, 25n));
    await finishJob(t.deps, completion(4, 1, 'SUCCEEDED'));
    // Act
    await finishJob(t.deps, completion(5, 1, 'FAILED'));
    // Assess
    expect((await t.store.get('breaker/range'))!).toMatchObject({
      status: 'closed',
      data: { infraFailuresInARow: 1 },
    });
  });
});
