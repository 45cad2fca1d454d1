import { describe, expect, it, vi } from 'vitest';
import { clearPause, setPause } from '../../../../lambdas/core/control/pause-switch.js';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import type { JobCompletion } from '../../../../lambdas/core/orchestrator/group/job-completion.js';
import { membershipOf } from './group-invariants.js';
import { blockEnvelope, hashOf, makeDeps, rangeProofEnvelope, rangeResult } from './orchestrator-fixture.js';
import { recordingStore } from './recording-store.js';

describe('the dispatch that completes a group reads nothing twice', () => {
  it('reads the cursor, pause switch and breaker in one batch, one plan page, not the members again, and lists neither collected groups nor stale messages', async () => {
    // Prepare: blocks 1-4 recorded; block 5 completes range/0-5
    const t = makeDeps();
    for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    await dispatchMessage({ ...t.deps, store }, blockEnvelope(5n, t.clock));

    // Assess
    const reads = calls.filter((call) => /^(get|getMany|list) /.test(call));
    expect(reads.filter((call) => call.startsWith('get '))).toEqual([]);
    // The members stay pending (named by the group) and the job input is built from the plan page's items.
    expect(reads.filter((call) => call.startsWith('getMany '))).toEqual([
      'getMany cursor/range,pause/stage/range,breaker/range',
    ]);
    expect(reads.filter((call) => call.startsWith('list group#'))).toEqual([]);
    // One plan page: the plan after the group starts on what is left of it (nothing, and it was complete).
    expect(reads.filter((call) => call.startsWith('list message#'))).toEqual(['list message#blocks pending']);
    expect((await t.store.get('range/0-5'))?.status).toBe('running');
  });

  it('forms two groups of one delivered batch from one plan page', async () => {
    // Prepare: blocks 1-10 delivered in one batch
    const t = makeDeps();
    const { store, calls } = recordingStore(t.store);
    const batch = new DeliveryBatch({ ...t.deps, store });
    for (let n = 1n; n <= 10n; n++) await batch.record(blockEnvelope(n, t.clock));

    // Act
    const { groups } = await batch.collect();

    // Assess: both groups run; one list of pending blocks, no member read or written
    expect(groups.map((g) => g.groupId)).toEqual(['range/0-5', 'range/5-10']);
    expect(calls.filter((call) => call.startsWith('list message#'))).toEqual(['list message#blocks pending']);
    expect(calls.filter((call) => call.startsWith('getMany blocks/'))).toEqual([]);
    for (let n = 1n; n <= 10n; n++)
      expect(membershipOf(t.store.all(), 'range', `blocks/${n}`)).toBe('member');
    expect(calls.filter((call) => call.startsWith('replace blocks/'))).toEqual([]);
  });
});

describe("the dispatch after one that finished the cursor's last group", () => {
  it('does not read that group again in the same process', async () => {
    // Prepare: range/0-5 formed and running by this process
    const t = makeDeps();
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const get = vi.spyOn(t.store, 'get');
    const getMany = vi.spyOn(t.store, 'getMany');

    // Act: block 6, through the same deps (its plan reads the cursor, which still names range/0-5 as its last group)
    await dispatchMessage(t.deps, blockEnvelope(6n, t.clock));

    // Assess
    const ids = [...get.mock.calls.map(([id]) => id), ...getMany.mock.calls.flatMap(([many]) => many)];
    expect(ids).toContain('cursor/range');
    expect(ids).not.toContain('range/0-5');
  });

  it('reads it again, and hands it over, when its stage was paused at its hand-over', async () => {
    // Prepare: range/0-5 formed while the stage was paused, then the pause is cleared
    const t = makeDeps();
    const stage = { kind: 'stage', stage: 'range' } as const;
    await setPause(t.store, stage, { reason: 'test', by: 'alice', setter: 'operator', at: t.clock.now() });
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    expect((await t.store.get('range/0-5'))?.status).toBe('collected');
    await clearPause(t.store, stage);

    // Act
    const { groups } = await dispatchMessage(t.deps, blockEnvelope(6n, t.clock));

    // Assess
    expect(groups).toEqual([{ groupId: 'range/0-5', status: 'running' }]);
    expect(t.jobs.submitted.map((job) => job.name)).toEqual(['range-0-5-a1']);
  });

  it('reads it again when another process wrote the cursor since', async () => {
    // Prepare: range/0-5 finished by this process; another process (its own deps) then decided range/5-10
    const t = makeDeps();
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    for (let n = 6n; n <= 10n; n++) await dispatchMessage({ ...t.deps }, blockEnvelope(n, t.clock));
    const get = vi.spyOn(t.store, 'get');

    // Act
    await dispatchMessage(t.deps, blockEnvelope(11n, t.clock));

    // Assess: this process has not seen range/5-10 finished, so it reads it once
    expect(get.mock.calls.map(([id]) => id).filter((id) => id.startsWith('range/'))).toEqual(['range/5-10']);
  });
});

describe('a job completion', () => {
  it('reads its group and the stage breaker in one batch read', async () => {
    // Prepare: range/0-5 running
    const t = makeDeps();
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', rangeResult(0n, 5n));
    const { store, calls } = recordingStore(t.store);
    const completion: JobCompletion = {
      stage: 'range',
      groupId: 'range/0-5',
      attempt: 1,
      jobName: 'range-0-5-a1',
      status: 'SUCCEEDED',
    };

    // Act
    const outcome = await finishJob({ ...t.deps, store }, completion);

    // Assess
    expect(outcome).toBe('succeeded');
    expect(calls.filter((call) => /^(get|getMany) /.test(call))).toEqual(['getMany range/0-5,breaker/range']);
  });
});

describe('an aggregate group (a stage that waits for an L1 checkpoint)', () => {
  it('is written once when it forms: created awaiting its checkpoint, and the proposer is told', async () => {
    // Prepare
    const t = makeDeps();
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    const outcome = await dispatchMessage({ ...t.deps, store }, rangeProofEnvelope(5n, 10n, t.clock));

    // Assess
    expect(calls.filter((call) => /^(create|replace) aggregate\//.test(call))).toEqual([
      'create aggregate/0-10',
    ]);
    expect(outcome.groups).toEqual([{ groupId: 'aggregate/0-10', status: 'awaiting-checkpoint' }]);
    expect((await t.store.get('aggregate/0-10'))?.status).toBe('awaiting-checkpoint');
  });
});

describe('a checkpoint given to an aggregate group', () => {
  const grant = {
    checkpoint: { l1BlockNumber: '77', l1BlockHash: hashOf(77n) },
    rangeVkey: hashOf(7n, 2),
    proverAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  };

  it('reads the group, the stage pause switch and breaker and the members it expects in one batch read', async () => {
    // Prepare: aggregate/0-10 awaits its checkpoint; its ranges are the range stage's groupSize (5)
    const t = makeDeps();
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    const outcome = await giveCheckpoint({ ...t.deps, store }, 'aggregate/0-10', grant);

    // Assess: no member read after the group; the job input holds both ranges
    expect(outcome).toBe('submitted');
    expect(calls.filter((call) => /^(get|getMany) /.test(call))).toEqual([
      'getMany aggregate/0-10,pause/stage/aggregate,breaker/aggregate,range-proofs/0-5,range-proofs/5-10',
    ]);
    const input = await t.blobs.getJson('jobs/aggregate/0-10/a1/input.json');
    expect(JSON.stringify(input)).toContain(hashOf(5n, 1));
  });

  it('reads the members after the group when they are not the ranges it expected', async () => {
    // Prepare: aggregate/0-10 over ranges 0-4 and 4-10 (not of the range stage's groupSize)
    const t = makeDeps();
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 4n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(4n, 10n, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    const outcome = await giveCheckpoint({ ...t.deps, store }, 'aggregate/0-10', grant);

    // Assess: the guess cost no call of its own; the members were read once, after the group
    expect(outcome).toBe('submitted');
    expect(calls.filter((call) => /^(get|getMany) /.test(call))).toEqual([
      'getMany aggregate/0-10,pause/stage/aggregate,breaker/aggregate,range-proofs/0-5,range-proofs/5-10',
      'getMany range-proofs/0-4,range-proofs/4-10',
    ]);
    const input = await t.blobs.getJson('jobs/aggregate/0-10/a1/input.json');
    expect(JSON.stringify(input)).toContain(hashOf(4n, 1));
  });
});
