import { describe, expect, it } from 'vitest';
import type { RangeResult } from '../../../../lambdas/core/executor/range-contract.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { reopenGroup } from '../../../../lambdas/core/orchestrator/group/reopen-group.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { moveGroup } from '../../../../ops/commands/groups/move-group.js';
import { forwarded, twoProvers } from './join-fixture.js';
import { blockEnvelope, hashOf, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

/** Finishes `<stage>/0-5`'s current job with a result for blocks 0–5 (BootInfo changed as given) and delivers it. */
async function proveSide(t: TestDeps, stage: string, change: Partial<RangeResult['bootInfo']> = {}) {
  const group = (await t.store.get(`${stage}/0-5`))!;
  const document = rangeResult(0n, 5n);
  await t.blobs.putJson(String(group.data.outputKey), {
    ...document,
    bootInfo: { ...document.bootInfo, ...change },
  });
  const outcome = await finishJob(t.deps, {
    stage,
    groupId: group.id,
    attempt: Number(group.data.attempt),
    jobName: String(group.data.jobName),
    status: 'SUCCEEDED',
  });
  expect(outcome).toBe('succeeded');
  await dispatchMessage(t.deps, t.bus.onTopic(`range-proofs-${stage.slice(-1)}`).at(-1)!);
}

/** Both provers run blocks 1–5. */
async function bothRunning(): Promise<TestDeps> {
  const t = makeDeps(twoProvers('all'));
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  return t;
}

const sweep = (t: TestDeps) => runCollectors(t.deps, undefined, { sweeps: true });

describe('join stage: joining a span again', () => {
  it('ops group retry of a halted join re-proves both sides in place and joins the span again', async () => {
    // Prepare: range-b's prover claims a wrong root; the span halts.
    const t = await bothRunning();
    await proveSide(t, 'range-a');
    await proveSide(t, 'range-b', { l2PostRoot: hashOf(99n) });
    expect((await t.store.get('range/0-5'))!.status).toBe('abandoned');
    // Act: the operator fixed range-b's prover and retries the join group.
    const outcome = await moveGroup(t.deps, {
      action: 'retry',
      id: 'range/0-5',
      by: 'alice',
      reason: 'range-b fixed',
    });
    // Assess: both sides re-prove in place (attempt 2) while the join waits for them.
    expect(outcome).toMatchObject({ from: 'abandoned', to: 'retried' });
    expect((await t.store.get('range-a/0-5'))!.data).toMatchObject({ attempt: 2 });
    expect((await t.store.get('range-b/0-5'))!.status).toBe('running');
    await sweep(t);
    expect((await t.store.get('range/0-5'))!.status).toBe('retried');

    // Act 2: both re-proofs come back agreeing; the join stage's sweep joins again.
    await proveSide(t, 'range-a');
    await proveSide(t, 'range-b');
    await sweep(t);
    // Assess 2
    const joined = (await t.store.get('range/0-5'))!;
    expect(joined.status).toBe('succeeded');
    expect(joined.data.attempt).toBe(2);
    expect(forwarded(t)).toHaveLength(1);
  });

  it('an L1 reorg under a joined span reopens the join: members re-proven, the new result supersedes the old', async () => {
    // Prepare: both provers agree; the join hands range-proofs/0-5 on (attempt 1).
    const t = await bothRunning();
    await proveSide(t, 'range-a');
    await proveSide(t, 'range-b');
    expect(forwarded(t)).toHaveLength(1);
    await dispatchMessage(t.deps, forwarded(t)[0]!);
    // Act: the range's L1 head left L1.
    const reopened = await reopenGroup(t.deps, {
      groupId: 'range/0-5',
      messageId: 'range-proofs/0-5',
      reason: 'range-proofs/0-5: l1Head left L1',
    });
    // Assess: the join waits for both members' re-proofs; the old result is superseded.
    expect(reopened).toBe('reopened');
    expect((await t.store.get('range/0-5'))!.status).toBe('retried');
    expect((await t.store.get('range-proofs/0-5'))!.status).toBe('superseded');
    expect((await t.store.get('range-b/0-5'))!).toMatchObject({ status: 'running', data: { attempt: 2 } });

    // Act 2: the re-proofs arrive; the sweep joins again and the new result is delivered.
    await proveSide(t, 'range-a', { l1Head: hashOf(3000n) });
    await proveSide(t, 'range-b', { l1Head: hashOf(3001n) });
    await sweep(t);
    await dispatchMessage(t.deps, forwarded(t).at(-1)!);
    // Assess 2: a second result under attempt 2 replaced the superseded one.
    expect(forwarded(t)).toHaveLength(2);
    expect(forwarded(t)[1]).toMatchObject({ attempt: 2 });
    const message = (await t.store.get('range-proofs/0-5'))!;
    expect(message.status).toBe('pending');
    expect(message.data.envelope).toMatchObject({ attempt: 2 });
  });
});
