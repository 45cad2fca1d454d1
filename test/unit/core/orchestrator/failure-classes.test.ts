import { describe, expect, it } from 'vitest';
import { breakerId } from '../../../../lambdas/core/messages/ids.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { INFRASTRUCTURE_RETRY_LIMIT } from '../../../../lambdas/core/orchestrator/group/infrastructure-retry.js';
import type { JobCompletion } from '../../../../lambdas/core/orchestrator/group/job-completion.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, makeDeps, type TestDeps } from './orchestrator-fixture.js';

/** Devnet deps (range: 2 attempts, then bisect) with range/0-5 running attempt 1. */
async function runningGroup(): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  return t;
}

const REASONS = {
  infrastructure: 'CannotPullContainerError: pull access denied',
  prover: 'exit code 1',
  configuration:
    'executor "binary-rnage-prover" could not be started: spawn binary-rnage-prover ENOENT (no executable "binary-rnage-prover" on PATH)',
} as const;

function failedAttempt(attempt: number, failureClass: keyof typeof REASONS): JobCompletion {
  return {
    stage: 'range',
    groupId: 'range/0-5',
    attempt,
    jobName: `range-0-5-a${attempt}`,
    status: 'FAILED',
    reason: REASONS[failureClass],
    failureClass,
  };
}

/** Fails the current attempt with an infrastructure failure and runs the sweeps until the retry's job is submitted. */
async function failOnInfrastructure(t: TestDeps): Promise<void> {
  const group = (await t.store.get('range/0-5'))!;
  await finishJob(t.deps, failedAttempt(group.data.attempt as number, 'infrastructure'));
  t.clock.advanceSeconds(900);
  await runCollectors(t.deps, undefined, { sweeps: true });
}

describe('failure classes', () => {
  it('never bisects on infrastructure failures: they retry apart from the prover attempts', async () => {
    // Prepare
    const t = await runningGroup();
    // Act: three infrastructure failures in a row (the stage allows 2 attempts)
    for (let i = 0; i < 3; i++) await failOnInfrastructure(t);
    // Assess
    const group = (await t.store.get('range/0-5'))!;
    expect(group.status).toBe('running');
    expect(group.data).toMatchObject({ attempt: 4, infraFailures: 3 });
    expect(group.data.failures).toBeUndefined();
    expect(t.store.all().filter((i) => i.data.parentGroupId === 'range/0-5')).toEqual([]);
    expect(t.metrics.total(METRIC.infrastructureFailures)).toBe(3);
  });

  it('counts prover failures toward bisection as before, and a prover failure resets the infrastructure run', async () => {
    // Prepare
    const t = await runningGroup();
    await failOnInfrastructure(t);
    // Act: two prover failures exhaust the stage's 2 attempts
    expect(await finishJob(t.deps, failedAttempt(2, 'prover'))).toBe('retried');
    const afterOne = (await t.store.get('range/0-5'))!;
    const outcome = await finishJob(t.deps, failedAttempt(3, 'prover'));
    // Assess
    expect(afterOne.data).toMatchObject({ failures: 1 });
    expect(afterOne.data.infraFailures).toBeUndefined();
    expect(outcome).toBe('split');
  });

  it('marks the retry after an infrastructure failure for the runner, not the first attempt or a prover retry', async () => {
    // Prepare
    const t = await runningGroup();
    // Act
    await failOnInfrastructure(t);
    await finishJob(t.deps, failedAttempt(2, 'prover'));
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect(t.jobs.submitted.map((job) => [job.name, job.afterInfrastructureFailure])).toEqual([
      ['range-0-5-a1', false],
      ['range-0-5-a2', true],
      ['range-0-5-a3', false],
    ]);
  });

  it('waits out the backoff before the retry of an infrastructure failure starts', async () => {
    // Prepare
    const t = await runningGroup();
    // Act
    expect(await finishJob(t.deps, failedAttempt(1, 'infrastructure'))).toBe('retried');
    const waiting = (await t.store.get('range/0-5'))!;
    t.clock.advanceSeconds(29);
    await runCollectors(t.deps, undefined, { sweeps: true });
    const stillWaiting = (await t.store.get('range/0-5'))!.status;
    t.clock.advanceSeconds(1);
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect(waiting).toMatchObject({ status: 'retried', data: { attempt: 2 } });
    expect(stillWaiting).toBe('retried');
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-0-5-a2']);
  });

  it('abandons with a named reason after too many infrastructure failures in a row', async () => {
    // Prepare
    const t = await runningGroup();
    for (let i = 0; i < INFRASTRUCTURE_RETRY_LIMIT; i++) await failOnInfrastructure(t);
    // Act
    const group = (await t.store.get('range/0-5'))!;
    const outcome = await finishJob(t.deps, failedAttempt(group.data.attempt as number, 'infrastructure'));
    // Assess
    expect(outcome).toBe('abandoned');
    expect((await t.store.get('range/0-5'))!.status).toBe('abandoned');
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
    const logged = t.logger.at('error').find((e) => e.message.startsWith('group abandoned'));
    expect(logged?.message).toMatch(/6 infrastructure failures in a row \(limit 5\)/);
  });

  it('abandons at once on a configuration error (a prover command not on PATH), naming the command, with no retry, bisection or breaker count', async () => {
    // Prepare
    const t = await runningGroup();
    // Act
    const outcome = await finishJob(t.deps, failedAttempt(1, 'configuration'));
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect(outcome).toBe('abandoned');
    const group = (await t.store.get('range/0-5'))!;
    expect(group).toMatchObject({ status: 'abandoned', data: { failureClass: 'configuration' } });
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
    expect(t.metrics.total(METRIC.infrastructureFailures)).toBe(0);
    expect((await t.store.get(breakerId('range')))?.data.infraFailuresInARow ?? 0).toBe(0);
    const logged = t.logger.at('error').find((e) => e.message.startsWith('group abandoned'));
    expect(logged?.message).toMatch(/configuration error .*no executable "binary-rnage-prover" on PATH/);
  });
});
