import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lambdas/core/errors.js';
import { parseExecutorRequest } from '../../../../lambdas/core/executor/program-contracts.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import {
  CLAIM_GRACE_SECONDS,
  recoverStalledGroups,
} from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { reopenGroup } from '../../../../lambdas/core/orchestrator/group/reopen-group.js';
import { provingStageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import {
  aggregateResult,
  blockEnvelope,
  hashOf,
  makeDeps,
  rangeProofEnvelope,
  TEST_PROVER,
  type TestDeps,
} from './orchestrator-fixture.js';

const PROVER = TEST_PROVER;
const REOPEN = {
  groupId: 'aggregate/0-10',
  messageId: 'aggregate-proofs/0-10',
  reason: 'L1 block 77 reorged',
};

function inputsAt(l1Block: bigint) {
  return {
    checkpoint: { l1BlockNumber: l1Block.toString(), l1BlockHash: hashOf(l1Block, 3) },
    rangeVkey: hashOf(7n, 2),
    proverAddress: PROVER,
  };
}

/** Runs aggregate/0-10's attempt `attempt` to success under a checkpoint at `l1Block` and records its proof. */
async function proveAggregate(
  t: TestDeps,
  attempt: number,
  l1Block: bigint,
  recorded: 'new' | 'newer-attempt' = 'new',
): Promise<void> {
  expect(await giveCheckpoint(t.deps, 'aggregate/0-10', inputsAt(l1Block))).toBe('submitted');
  await t.blobs.putJson(`jobs/aggregate/0-10/a${attempt}/output.json`, aggregateResult(l1Block));
  const outcome = await finishJob(t.deps, {
    stage: 'aggregate',
    groupId: 'aggregate/0-10',
    attempt,
    jobName: `aggregate-0-10-a${attempt}`,
    status: 'SUCCEEDED',
  });
  expect(outcome).toBe('succeeded');
  const published = t.bus.onTopic('aggregate-proofs').at(-1)!;
  expect((await dispatchMessage(t.deps, published)).recorded).toBe(recorded);
}

async function provenAggregate(): Promise<TestDeps> {
  const t = makeDeps();
  await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
  await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
  await proveAggregate(t, 1, 77n);
  return t;
}

describe('reopenGroup', () => {
  it('reproves after an L1 reorg: the new proof is recorded pending under the same message id', async () => {
    // Prepare
    const t = await provenAggregate();
    // Act
    const outcome = await reopenGroup(t.deps, REOPEN);
    const repeat = await reopenGroup(t.deps, REOPEN);
    // Assess: the old message is superseded and the group waits for a new checkpoint
    expect([outcome, repeat]).toEqual(['reopened', 'reopened']);
    expect((await t.store.get('aggregate-proofs/0-10'))!.status).toBe('superseded');
    const waiting = (await t.store.get('aggregate/0-10'))!;
    expect(waiting.status).toBe('awaiting-checkpoint');
    expect(waiting.data).toMatchObject({ attempt: 2, reopenReason: REOPEN.reason });
    for (const cleared of ['checkpoint', 'rangeVkey', 'proverAddress', 'jobId', 'submittedAt'])
      expect(waiting.data[cleared], cleared).toBeUndefined();
    // Act: the proposer checkpoints again; the new job runs and its proof is dispatched
    await proveAggregate(t, 2, 90n, 'newer-attempt');
    // Assess
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['aggregate-0-10-a1', 'aggregate-0-10-a2']);
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a2/input.json'),
    );
    expect(request).toMatchObject({ checkpoint: { l1BlockNumber: '90' } });
    const message = (await t.store.get('aggregate-proofs/0-10'))!;
    expect(message.status).toBe('pending');
    expect(message.data.envelope).toMatchObject({ payload: { l1BlockNumber: '90' } });
    expect((await t.store.get('aggregate/0-10'))!.status).toBe('succeeded');
  });

  it('leaves a way forward whichever single write crashes: a pending proof the proposer refuses again, or a sweep', async () => {
    for (const failAt of [1, 2, 3]) {
      // Prepare
      const t = await provenAggregate();
      let writes = 0;
      t.store.beforeWrite = () => {
        writes += 1;
        if (writes === failAt) throw new Error('crash');
      };
      // Act 1: the crashed reopen
      await expect(reopenGroup(t.deps, REOPEN)).rejects.toThrow('crash');
      t.store.beforeWrite = undefined;
      // Assess 1: never a succeeded group without a pending proof (nothing would look at it again)
      const proofPending = (await t.store.get('aggregate-proofs/0-10'))!.status === 'pending';
      const groupAfterCrash = (await t.store.get('aggregate/0-10'))!;
      expect(groupAfterCrash.status !== 'succeeded' || proofPending, `crash at write ${failAt}`).toBe(true);
      // Act 2: what the pipeline does next, with nothing redelivered
      if (proofPending) {
        // the proposer's next run refuses the stale proof again and asks for the reopen again
        expect(await reopenGroup(t.deps, REOPEN), `crash at write ${failAt}`).toBe('reopened');
      } else {
        // the scheduled sweep continues a retried group after its grace
        t.clock.advanceSeconds(CLAIM_GRACE_SECONDS + 1);
        await recoverStalledGroups(t.deps, provingStageNamed(t.deps.config, 'aggregate'));
      }
      // Assess 2
      expect((await t.store.get('aggregate/0-10'))!, `crash at write ${failAt}`).toMatchObject({
        status: 'awaiting-checkpoint',
        data: { attempt: 2 },
      });
      expect((await t.store.get('aggregate-proofs/0-10'))!.status, `crash at write ${failAt}`).toBe(
        'superseded',
      );
    }
  });

  it('keeps a stale redelivery of the old proof out while the group re-proves, then records the new one', async () => {
    // Prepare: reopened; the old proof is delivered again while the group waits and while it runs
    const t = await provenAggregate();
    await reopenGroup(t.deps, REOPEN);
    const stale = t.bus.onTopic('aggregate-proofs')[0]!;
    // Act + Assess: the redelivery is a duplicate; the message stays superseded, the proposer sees nothing
    expect((await dispatchMessage(t.deps, stale)).recorded).toBe('duplicate');
    expect((await t.store.get('aggregate-proofs/0-10'))!.status).toBe('superseded');
    expect(await reopenGroup(t.deps, REOPEN)).toBe('reopened');
    // Act: the re-proof lands, then the stale one arrives once more
    await proveAggregate(t, 2, 90n, 'newer-attempt');
    const afterwards = await dispatchMessage(t.deps, stale);
    // Assess: the fresh proof stays pending, the stale one is dropped
    expect(afterwards.recorded).toBe('duplicate');
    const message = (await t.store.get('aggregate-proofs/0-10'))!;
    expect(message.status).toBe('pending');
    expect(message.data.envelope).toMatchObject({ attempt: 2, payload: { l1BlockNumber: '90' } });
  });

  it('refuses groups it cannot reopen and messages of another topic', async () => {
    // Prepare
    const t = makeDeps();
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 10n, t.clock));
    // Act + Assess
    expect(await reopenGroup(t.deps, { ...REOPEN, groupId: 'aggregate/50-60' })).toBe('not-reopenable');
    expect(
      await reopenGroup(t.deps, { ...REOPEN, groupId: 'range/0-5', messageId: 'range-proofs/0-5' }),
    ).toBe('not-reopenable');
    expect(await reopenGroup(t.deps, REOPEN)).toBe('not-reopenable');
    await expect(reopenGroup(t.deps, { ...REOPEN, messageId: 'range-proofs/0-10' })).rejects.toThrow(
      InvalidInputError,
    );
    expect((await t.store.get('range-proofs/0-10'))!.status).toBe('collected');
    expect((await t.store.get('aggregate/0-10'))!.status).toBe('awaiting-checkpoint');
  });
});

describe('reopenGroup is not a failed attempt', () => {
  it('gives the re-proof all its attempts: one failure after a reopen retries instead of abandoning', async () => {
    // Prepare: attempt 1 fails once and succeeds on attempt 2; then an L1 reorg reopens it (attempt 3).
    const t = makeDeps();
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', inputsAt(77n))).toBe('submitted');
    const failure = {
      stage: 'aggregate',
      groupId: 'aggregate/0-10',
      status: 'FAILED',
      reason: 'prover died',
    } as const;
    expect(await finishJob(t.deps, { ...failure, attempt: 1, jobName: 'aggregate-0-10-a1' })).toBe('retried');
    await t.blobs.putJson('jobs/aggregate/0-10/a2/output.json', aggregateResult(77n));
    const success = { stage: 'aggregate', groupId: 'aggregate/0-10', status: 'SUCCEEDED' } as const;
    expect(await finishJob(t.deps, { ...success, attempt: 2, jobName: 'aggregate-0-10-a2' })).toBe(
      'succeeded',
    );
    await dispatchMessage(t.deps, t.bus.onTopic('aggregate-proofs').at(-1)!);
    expect(await reopenGroup(t.deps, REOPEN)).toBe('reopened');
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', inputsAt(90n))).toBe('submitted');
    // Act: the re-proof's first job fails (devnet attempts: 2).
    const outcome = await finishJob(t.deps, { ...failure, attempt: 3, jobName: 'aggregate-0-10-a3' });
    // Assess
    expect(outcome).toBe('retried');
    const group = (await t.store.get('aggregate/0-10'))!;
    expect(group.status).toBe('running');
    expect(group.data).toMatchObject({ attempt: 4, failures: 1, jobName: 'aggregate-0-10-a4' });
  });
});
