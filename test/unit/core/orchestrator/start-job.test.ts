import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { groupItem, newGroup, parseGroup } from '../../../../lambdas/core/orchestrator/group/group-item.js';
import type { GroupIn } from '../../../../lambdas/core/orchestrator/group/group-state.js';
import { handOverGroup } from '../../../../lambdas/core/orchestrator/group/hand-over-group.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { provingStageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { blockEnvelope, devnetConfig, makeDeps, type TestDeps } from './orchestrator-fixture.js';

/** Blocks 1..5 recorded pending and group range/0-5 created `collected`, not handed over yet. */
async function collectedGroup(t: TestDeps) {
  for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  await t.store.create({
    id: 'blocks/5',
    kind: 'message#blocks',
    status: 'pending',
    sortKey: '00000000000000000004',
    data: { envelope: blockEnvelope(5n, t.clock), receivedAt: t.clock.now().toISOString() },
  });
  const memberIds = [1, 2, 3, 4, 5].map((n) => `blocks/${n}`);
  await t.store.create(groupItem(newGroup('range', 0n, 5n, memberIds)));
  return parseGroup((await t.store.get('range/0-5'))!) as GroupIn<'collected'>;
}

describe('startJob: claim before submit', () => {
  it('two concurrent hand-overs of one group submit exactly one job', async () => {
    // Prepare
    const t = makeDeps(devnetConfig(), { delayTurns: () => 1 });
    const item = await collectedGroup(t);
    const stage = provingStageNamed(t.deps.config, 'range');
    // Act
    const outcomes = await Promise.all([
      handOverGroup(t.deps, stage, item),
      handOverGroup(t.deps, stage, item),
    ]);
    // Assess
    expect(outcomes.filter((o) => o !== undefined)).toEqual([{ groupId: 'range/0-5', status: 'running' }]);
    expect(t.jobs.submitCalls).toBe(1);
    expect((await t.store.get('range/0-5'))!.data).toMatchObject({
      jobName: 'range-0-5-a1',
      attempt: 1,
      inputKey: 'jobs/range/0-5/a1/input.json',
      outputKey: 'jobs/range/0-5/a1/output.json',
      claimedAt: t.clock.now().toISOString(),
      jobId: 'job-1',
      submittedAt: t.clock.now().toISOString(),
    });
  });

  it('two concurrent collector runs over a ready backlog submit each job once', async () => {
    // Prepare
    const t = makeDeps(devnetConfig(), { delayTurns: () => 2 });
    await collectedGroup(t);
    // Act
    await Promise.all([runCollectors(t.deps), runCollectors(t.deps), runCollectors(t.deps)]);
    // Assess
    expect(t.jobs.submitCalls).toBe(1);
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
  });

  it('a crash after the claim is re-submitted once, under the same name, after the grace period', async () => {
    // Prepare: the submit dies once (crash between claim and submit)
    const t = makeDeps();
    t.jobs.beforeSubmit = () => {
      t.jobs.beforeSubmit = undefined;
      throw new Error('crash');
    };
    for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await expect(dispatchMessage(t.deps, blockEnvelope(5n, t.clock))).rejects.toThrow('crash');
    const claimed = (await t.store.get('range/0-5'))!;
    expect(claimed.status).toBe('running');
    expect(claimed.data.claimedAt).toBeDefined();
    expect(claimed.data.submittedAt).toBeUndefined();
    // Act + Assess: inside the grace period nothing is re-submitted
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS - 1);
    await runCollectors(t.deps, undefined, { sweeps: true });
    expect(t.jobs.submitCalls).toBe(0);
    // Act + Assess: after it, exactly one submit, then none
    t.clock.advanceSeconds(1);
    await runCollectors(t.deps, undefined, { sweeps: true });
    await runCollectors(t.deps, undefined, { sweeps: true });
    expect(t.jobs.submitCalls).toBe(1);
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    expect(await t.blobs.exists('jobs/range/0-5/a1/input.json')).toBe(true);
    expect((await t.store.get('range/0-5'))!).toMatchObject({
      status: 'running',
      data: { jobId: 'job-1', submittedAt: t.clock.now().toISOString() },
    });
    expect(t.logger.at('warn').map((e) => e.message)).toContain(
      'recovering a group left between two writes: re-submitting a claimed job whose submit was never recorded',
    );
  });

  it('a crash after the submit, before it is recorded, is deduplicated by job name', async () => {
    // Prepare: the write recording jobId dies once
    const t = makeDeps();
    t.store.beforeWrite = (operation, _id, item) => {
      if (operation === 'replace' && item?.data.submittedAt !== undefined) {
        t.store.beforeWrite = undefined;
        throw new Error('crash');
      }
    };
    for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await expect(dispatchMessage(t.deps, blockEnvelope(5n, t.clock))).rejects.toThrow('crash');
    // Act
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS);
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect(t.jobs.submitCalls).toBe(2);
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    expect((await t.store.get('range/0-5'))!.data).toMatchObject({ jobId: 'job-1' });
  });
});
