import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseExecutorRequest } from '../../../../lambdas/core/executor/program-contracts.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { reproveMembers } from '../../../../lambdas/core/orchestrator/group/reprove-members.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
import { hashOf } from './orchestrator-fixture.js';
import { collectedAggregate, GRANT, proveRange } from './range-reprove-fixture.js';

const REASON = 'range-proofs/5-10: l1Head is no longer on L1';

describe('reproveMembers', () => {
  it('re-proves only the range whose l1Head left L1; its re-proof returns to the same aggregate group, which then runs', async () => {
    // Prepare
    const t = await collectedAggregate();
    // Act
    const outcome = await reproveMembers(t.deps, {
      holderId: 'aggregate/0-10',
      memberIds: ['range-proofs/5-10'],
      reason: REASON,
    });
    // Assess: only range/5-10 runs again, under a new job, no failure counted; the aggregate waits visibly
    expect(outcome).toEqual({ reproving: ['range-proofs/5-10'], notReopenable: [] });
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-5-10-a1', 'range-5-10-a2']);
    expect((await t.store.get('range/5-10'))!).toMatchObject({
      status: 'running',
      data: { attempt: 2, reopenReason: REASON },
    });
    expect((await t.store.get('range/5-10'))!.data.failures).toBeUndefined();
    expect((await t.store.get('range/0-5'))!).toMatchObject({ status: 'succeeded', data: { attempt: 1 } });
    expect((await t.store.get('range-proofs/5-10'))!).toMatchObject({
      status: 'superseded',
      data: { heldBy: 'aggregate/0-10' },
    });
    expect((await t.store.get('aggregate/0-10'))!).toMatchObject({
      status: 'awaiting-checkpoint',
      data: { waitReason: REASON },
    });
    const gateway = proposerGateway(t.deps);
    const [waiting] = await gateway.groupsAwaitingCheckpoint();
    const reproving = async () =>
      (await gateway.waitingMembers(waiting!, z.unknown(), 'range proof')).reproving;
    expect(await reproving()).toEqual(['range-proofs/5-10']);

    // Act: the re-proof (against L1 block 1050) lands
    const delivered = await proveRange(t, 5n, 10n, 2, 1050n);
    // Assess: it replaces the old proof in `collected`, in the same group; no new aggregate group
    expect(delivered.recorded).toBe('newer-attempt');
    expect(delivered.groups).toEqual([]);
    const member = (await t.store.get('range-proofs/5-10'))!;
    expect(member.status).toBe('collected');
    expect(member.data.envelope).toMatchObject({
      attempt: 2,
      payload: { bootInfo: { l1Head: hashOf(1050n) } },
    });
    expect(await reproving()).toEqual([]);
    expect((await t.store.list('group#aggregate', 'awaiting-checkpoint')).map((g) => g.id)).toEqual([
      'aggregate/0-10',
    ]);

    // Act: the proposer checkpoints as usual
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    // Assess: the aggregate job carries the re-proven range; the wait reason is gone
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a1/input.json'),
    );
    expect(request.program === 'aggregate' && request.ranges.map((r) => r.bootInfo.l1Head)).toEqual([
      hashOf(1000n),
      hashOf(1050n),
    ]);
    expect((await t.store.get('aggregate/0-10'))!.data.waitReason).toBeUndefined();
  });

  it('is idempotent: a repeat while the re-proof runs starts no second job', async () => {
    // Prepare
    const t = await collectedAggregate();
    const input = { holderId: 'aggregate/0-10', memberIds: ['range-proofs/5-10'], reason: REASON };
    await reproveMembers(t.deps, input);
    // Act
    const repeat = await reproveMembers(t.deps, input);
    // Assess
    expect(repeat.reproving).toEqual(['range-proofs/5-10']);
    expect(t.jobs.submitted.filter((j) => j.groupId === 'range/5-10')).toHaveLength(2);
    // A redelivery of the old proof stays out
    expect((await dispatchMessage(t.deps, t.bus.onTopic('range-proofs')[1]!)).recorded).toBe('duplicate');
    expect((await t.store.get('range-proofs/5-10'))!.status).toBe('superseded');
  });

  it('names the members it cannot re-prove', async () => {
    // Prepare
    const t = await collectedAggregate();
    // Act
    const outcome = await reproveMembers(t.deps, {
      holderId: 'aggregate/0-10',
      memberIds: ['range-proofs/10-15'],
      reason: REASON,
    });
    // Assess
    expect(outcome).toEqual({ reproving: [], notReopenable: ['range-proofs/10-15'] });
    expect((await t.store.get('aggregate/0-10'))!.data.waitReason).toBeUndefined();
  });
});
