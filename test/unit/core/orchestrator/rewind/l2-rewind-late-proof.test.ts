import { describe, expect, it } from 'vitest';
import type { RangeResult } from '../../../../../lambdas/core/executor/range-contract.js';
import { finishJob } from '../../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { messageData } from '../../../../../lambdas/core/orchestrator/messages/message-records.js';
import { METRIC } from '../../../../../lambdas/core/ports/telemetry.js';
import { groupsOf } from '../group-invariants.js';
import { aggregateResult, hashOf, rangeResult, TEST_PROVER } from '../orchestrator-fixture.js';
import { FakeL2, RewindRig } from './l2-rewind-fixture.js';
import { settleRounds } from './rewind-rounds.js';

/** The old branch's output root at block 10 (the canonical one is `hashOf(10n, 1)`, as `rangeResult`). */
const OLD_ROOT_10 = hashOf(10n, 9);

const GRANT = {
  checkpoint: { l1BlockNumber: '77', l1BlockHash: hashOf(77n, 3) },
  rangeVkey: hashOf(7n, 2),
  proverAddress: TEST_PROVER,
};

/**
 * Blocks 1…10 proven as range/0-5 and range/5-10 (attempt 1, range/5-10 over the old blocks 6…10,
 * its post root `OLD_ROOT_10`); the L2 reorganises above 7 and the watcher's rewind finishes while
 * both proofs are still in flight; then they are delivered: no item is left for the old proof to be
 * a duplicate of, so it is recorded and aggregate/0-10 forms over it.
 */
async function oldProofCollectedAfterRewind(): Promise<RewindRig> {
  const rig = new RewindRig(new FakeL2(10n));
  await rig.watch();
  await rig.deliver();
  expect(await rig.proveRange(0n, 5n)).toBe('succeeded');
  const old = rangeResult(5n, 10n);
  const oldBranch = { ...old, bootInfo: { ...old.bootInfo, l2PostRoot: OLD_ROOT_10 } };
  expect(await rig.proveRange(5n, 10n, 1, oldBranch)).toBe('succeeded');
  rig.l2.reorg(7n, 20n);
  await rig.watch();
  expect(await rig.t.store.get('rewind/l2')).toBeUndefined();
  await rig.deliver();
  expect(await rig.status('aggregate/0-10')).toBe('awaiting-checkpoint');
  expect((await members(rig, 'aggregate/0-10'))[1]).toMatchObject({ attempt: 1, post: OLD_ROOT_10 });
  return rig;
}

/** The members of an aggregate group: status, producing attempt and the roots their proofs claim. */
async function members(rig: RewindRig, groupId: string) {
  const group = groupsOf(rig.t.store.all(), 'aggregate').find((g) => g.id === groupId);
  return Promise.all(
    (group?.memberIds ?? []).map(async (id) => {
      const item = (await rig.t.store.get(id))!;
      const { envelope } = messageData(item);
      const { bootInfo } = envelope.payload as RangeResult;
      return {
        id,
        status: item.status,
        attempt: envelope.attempt,
        pre: bootInfo.l2PreRoot,
        post: bootInfo.l2PostRoot,
      };
    }),
  );
}

/** aggregate/0-10's members as the canonical chain has them: the re-proof of range/5-10 (attempt 2). */
const CANONICAL_MEMBERS = [
  { id: 'range-proofs/0-5', status: 'collected', attempt: 1, pre: hashOf(0n, 1), post: hashOf(5n, 1) },
  { id: 'range-proofs/5-10', status: 'collected', attempt: 2, pre: hashOf(5n, 1), post: hashOf(10n, 1) },
];

/** The live aggregate groups: id, status and attempt. */
function aggregates(rig: RewindRig) {
  const attempt = (id: string) => rig.t.store.all().find((i) => i.id === id)?.data.attempt;
  return groupsOf(rig.t.store.all(), 'aggregate')
    .filter((g) => g.status !== 'invalidated')
    .map((g) => `${g.id} ${g.status} a${attempt(g.id)}`);
}

function replacedWarnings(rig: RewindRig) {
  return rig.t.logger
    .at('warn')
    .filter((e) => e.message.startsWith('collected member replaced'))
    .map((e) => e.attributes);
}

describe('L2 rewind and an old-branch proof delivered after it finished', () => {
  it('the re-proof replaces the collected old proof in aggregate/0-10, which still waits for its checkpoint', async () => {
    // Prepare
    const rig = await oldProofCollectedAfterRewind();

    // Act: range/5-10 is re-formed and re-proven on the canonical blocks (attempt 2), and on.
    await settleRounds(rig, 4);

    // Assess: the aggregate builds its input (at its start) from the re-proof: a chain of roots
    // from 0 to the canonical root at 10, and the aggregates go on to the head.
    expect(await members(rig, 'aggregate/0-10')).toEqual(CANONICAL_MEMBERS);
    expect(aggregates(rig)).toEqual([
      'aggregate/0-10 awaiting-checkpoint a1',
      'aggregate/10-20 awaiting-checkpoint a1',
    ]);
    expect(replacedWarnings(rig)).toEqual([
      expect.objectContaining({
        messageId: 'range-proofs/5-10',
        staleAttempt: 1,
        freshAttempt: 2,
        holder: 'aggregate/0-10',
        holderStatus: 'awaiting-checkpoint',
      }),
    ]);
    const counted = rig.t.metrics.points.filter(
      (p) => p.name === METRIC.reorgWorkInvalidated && p.dimensions?.kind === 'proof',
    );
    expect(counted.map((p) => p.value)).toEqual([1]);
  });

  it('an aggregate job already running on the old proof is started again, under the same checkpoint, on the re-proof', async () => {
    // Prepare: aggregate/0-10 got its checkpoint and runs on the old proof.
    const rig = await oldProofCollectedAfterRewind();
    expect(await giveCheckpoint(rig.t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    const firstInput = JSON.stringify(await rig.t.blobs.getJson('jobs/aggregate/0-10/a1/input.json'));
    expect(firstInput).toContain(OLD_ROOT_10);

    // Act
    await settleRounds(rig, 4);
    const late = await finishLateAggregate(rig, 1);

    // Assess: a new attempt runs on the canonical members; the old job's late result is ignored.
    expect(await members(rig, 'aggregate/0-10')).toEqual(CANONICAL_MEMBERS);
    expect(aggregates(rig)).toEqual(['aggregate/0-10 running a2', 'aggregate/10-20 awaiting-checkpoint a1']);
    const input = JSON.stringify(await rig.t.blobs.getJson('jobs/aggregate/0-10/a2/input.json'));
    expect(input).toContain(hashOf(10n, 1));
    expect(input).not.toContain(OLD_ROOT_10);
    expect(late).not.toBe('succeeded');
    expect(rig.t.jobs.terminated.map((j) => j.name)).toEqual(['aggregate-0-10-a1']);
    expect(rig.t.bus.onTopic('aggregate-proofs')).toEqual([]);
  });

  it('an aggregate proven on the old proof and not yet proposed is reopened: its proof superseded, a new attempt under a new checkpoint', async () => {
    // Prepare: aggregate/0-10 ran on the old proof and its proof (claiming the old root) is recorded.
    const rig = await oldProofCollectedAfterRewind();
    expect(await giveCheckpoint(rig.t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    expect(await finishLateAggregate(rig, 1)).toBe('succeeded');
    await rig.deliver();
    expect(await rig.status('aggregate-proofs/0-10')).toBe('pending');

    // Act
    await settleRounds(rig, 4);

    // Assess: the stale aggregate proof never goes to the proposer; the group waits for a new
    // checkpoint, then runs on the canonical members.
    expect(await rig.status('aggregate-proofs/0-10')).toBe('superseded');
    expect(aggregates(rig)).toEqual([
      'aggregate/0-10 awaiting-checkpoint a2',
      'aggregate/10-20 awaiting-checkpoint a1',
    ]);
    expect(await giveCheckpoint(rig.t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    const input = JSON.stringify(await rig.t.blobs.getJson('jobs/aggregate/0-10/a2/input.json'));
    expect(input).toContain(hashOf(10n, 1));
    expect(input).not.toContain(OLD_ROOT_10);
  });
});

/** Finishes aggregate/0-10's job of `attempt` with a valid result (as its job would write it). */
async function finishLateAggregate(rig: RewindRig, attempt: number) {
  await rig.t.blobs.putJson(`jobs/aggregate/0-10/a${attempt}/output.json`, aggregateResult(77n));
  return finishJob(rig.t.deps, {
    stage: 'aggregate',
    groupId: 'aggregate/0-10',
    attempt,
    jobName: `aggregate-0-10-a${attempt}`,
    status: 'SUCCEEDED',
  });
}
