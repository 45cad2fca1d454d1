import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { blockEnvelope, makeDeps, type TestDeps } from './orchestrator-fixture.js';

/** Group writes of a failed completion, in order: running→failed, failed→retried, retried→running, the submission. */
const WRITES = ['failed', 'retried', 'running (claim)', 'running (submission)'];

/** range/0-5 left `failed` by a completion handler that died before `failed → retried`. */
async function groupLeftFailed(): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  t.store.beforeWrite = (operation, _id, item) => {
    if (operation === 'replace' && item?.status === 'retried') throw new Error('handler crashed');
  };
  const failed = { stage: 'range', groupId: 'range/0-5', attempt: 1, jobName: 'range-0-5-a1' };
  await expect(finishJob(t.deps, { ...failed, status: 'FAILED' })).rejects.toThrow('handler crashed');
  t.store.beforeWrite = undefined;
  return t;
}

describe('recoverStalledGroups: a completion that dies between two group writes', () => {
  it.each(WRITES.slice(1).map((_, i) => [WRITES[i]!, i + 1]))(
    'converges on the schedule without the event being redelivered (crash after "%s")',
    async (_, landed) => {
      // Prepare: range/0-5 running attempt 1; the FAILED completion's group write number `landed + 1` dies.
      const t = makeDeps();
      for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
      let writes = 0;
      t.store.beforeWrite = (operation, id) => {
        if (operation !== 'replace' || id !== 'range/0-5') return;
        writes += 1;
        if (writes === landed + 1) throw new Error('handler crashed');
      };
      const failed = { stage: 'range', groupId: 'range/0-5', attempt: 1, jobName: 'range-0-5-a1' };
      await expect(
        finishJob(t.deps, { ...failed, status: 'FAILED', reason: 'prover exit 1' }),
      ).rejects.toThrow('handler crashed');
      t.store.beforeWrite = undefined;
      // Act: the scheduled runs, inside and then past the grace period.
      await runCollectors(t.deps, undefined, { sweeps: true });
      t.clock.advanceSeconds(CLAIM_GRACE_SECONDS);
      await runCollectors(t.deps, undefined, { sweeps: true });
      await runCollectors(t.deps, undefined, { sweeps: true });
      // Assess: attempt 2 runs, submitted exactly once.
      const group = (await t.store.get('range/0-5'))!;
      expect(group.status).toBe('running');
      expect(group.data).toMatchObject({ attempt: 2, jobName: 'range-0-5-a2', jobId: 'job-2' });
      expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-0-5-a2']);
    },
  );

  it('leaves a failed group alone inside the grace period (a live handler is still on it)', async () => {
    // Prepare
    const t = await groupLeftFailed();
    // Act
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS - 1);
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('failed');
  });

  it('runs no sweep when a message is dispatched (sweeps run on the schedule)', async () => {
    // Prepare: a group left failed long ago
    const t = await groupLeftFailed();
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS * 10);
    // Act
    await dispatchMessage(t.deps, blockEnvelope(6n, t.clock));
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('failed');
  });
});
