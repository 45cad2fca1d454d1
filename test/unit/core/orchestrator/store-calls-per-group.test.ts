import { describe, expect, it } from 'vitest';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import type { OrchestratorDeps } from '../../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { membershipOf } from './group-invariants.js';
import { blockEnvelope, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';
import { recordingStore } from './recording-store.js';

/** The block message ids from..to (inclusive). */
function blockIds(from: bigint, to: bigint): string[] {
  return Array.from({ length: Number(to - from) + 1 }, (_, i) => `blocks/${from + BigInt(i)}`);
}

/** Delivers blocks (from, to] in one batch, as one dispatcher invocation does. */
async function deliverBlocks(t: TestDeps, deps: OrchestratorDeps, from: bigint, to: bigint) {
  const batch = new DeliveryBatch(deps);
  for (let n = from + 1n; n <= to; n++) await batch.record(blockEnvelope(n, t.clock));
  return batch.collect();
}

/** Applies the successful completion of range group (start, end], as the job-state handler does. */
async function completeRange(t: TestDeps, deps: OrchestratorDeps, start: bigint, end: bigint) {
  await t.blobs.putJson(`jobs/range/${start}-${end}/a1/output.json`, rangeResult(start, end));
  const jobName = `range-${start}-${end}-a1`;
  return finishJob(deps, {
    stage: 'range',
    groupId: `range/${start}-${end}`,
    attempt: 1,
    jobName,
    status: 'SUCCEEDED',
  });
}

/**
 * range/0-5 formed and proven through a recording store by one long-lived process (a warm Lambda
 * container), so the cursor exists and range/5-10 is an ordinary group; the recorded calls cleared.
 */
async function afterFirstGroupProven() {
  const t = makeDeps();
  const { store, calls } = recordingStore(t.store);
  const deps = { ...t.deps, store };
  await deliverBlocks(t, deps, 0n, 5n);
  await completeRange(t, deps, 0n, 5n);
  calls.length = 0;
  return { t, deps, calls };
}

describe('the store calls of one 5-block range group (dispatcher and job state)', () => {
  it('costs at most 11 store calls: each block is created (members stay pending), the group is written twice, once more when its job succeeds', async () => {
    // Prepare: range/0-5 formed and proven, so the cursor exists and range/5-10 is an ordinary group
    // (one long-lived process, as a warm Lambda container)
    const { t, deps, calls } = await afterFirstGroupProven();

    // Act: blocks 6-10 in one delivered batch, then the job's completion
    const { groups } = await deliverBlocks(t, deps, 5n, 10n);
    const outcome = await completeRange(t, deps, 5n, 10n);

    // Assess
    expect(groups).toEqual([{ groupId: 'range/5-10', status: 'running' }]);
    expect(outcome).toBe('succeeded');
    const members = ['blocks/6', 'blocks/7', 'blocks/8', 'blocks/9', 'blocks/10'];
    expect(calls.filter((call) => /^(create|replace|delete) /.test(call))).toEqual([
      ...members.map((id) => `create ${id}`),
      'replace cursor/range',
      // Created running with its job claimed, then the submission; then the success.
      'create range/5-10',
      'replace range/5-10',
      'replace range/5-10',
    ]);
    // The cursor, pause and breaker in one batch with the members of the groups this process expects
    // next (a plan page's worth), so no plan page, not even for the plan after the group (block 11
    // is missing: a gap); the members are not read back.
    expect(calls.filter((call) => /^(get|getMany|list) /.test(call))).toEqual([
      `getMany cursor/range,pause/stage/range,breaker/range,${blockIds(6n, 35n).join(',')}`,
      'getMany range/5-10,breaker/range',
    ]);
    expect(calls.length).toBeLessThanOrEqual(11);
  });

  it('costs at most 15 store calls when each block comes in an invocation of its own', async () => {
    // Prepare: as above, range/0-5 formed and proven by this long-lived process
    const { t, deps, calls } = await afterFirstGroupProven();

    // Act: blocks 6-10, one delivered batch each, then the job's completion
    for (let n = 6n; n <= 10n; n++) await deliverBlocks(t, deps, n - 1n, n);
    const outcome = await completeRange(t, deps, 5n, 10n);

    // Assess: per block a create and one batch read (cursor, pause, breaker and the expected members:
    // no plan page, neither while the group is incomplete nor after it); the group's writes as above
    expect(outcome).toBe('succeeded');
    expect(calls.filter((call) => call.startsWith('list '))).toEqual([]);
    expect(calls.filter((call) => call.startsWith('getMany cursor/range'))).toHaveLength(5);
    expect(calls.length).toBeLessThanOrEqual(15);
    expect(calls.filter((call) => call.startsWith('replace blocks/'))).toEqual([]);
  });

  it('costs 17 store calls for two groups of one delivered batch: one batch read, no plan page, the breaker read once', async () => {
    // Prepare: as above, range/0-5 formed and proven by this long-lived process
    const { t, deps, calls } = await afterFirstGroupProven();

    // Act: blocks 6-15 in one delivered batch (ten records, as an SQS batch holds)
    const { groups } = await deliverBlocks(t, deps, 5n, 15n);

    // Assess: both groups run; the one batch read answers cursor, pause, breaker and both groups'
    // members, and the gap at block 16 ends planning; the second claim reuses the run's breaker answer
    expect(groups).toEqual([
      { groupId: 'range/5-10', status: 'running' },
      { groupId: 'range/10-15', status: 'running' },
    ]);
    expect(calls.filter((call) => /^(get|getMany|list) /.test(call))).toEqual([
      `getMany cursor/range,pause/stage/range,breaker/range,${blockIds(6n, 35n).join(',')}`,
    ]);
    expect(calls.filter((call) => call.startsWith('create blocks/'))).toHaveLength(10);
    expect(calls.length).toBe(17);
  });

  it('a group created with its job claimed, whose submit crashed, is submitted by the sweep after the claim grace', async () => {
    // Prepare: the submit of range/0-5 fails once (a crash between the claiming create and the submit)
    const t = makeDeps();
    t.jobs.beforeSubmit = () => {
      t.jobs.beforeSubmit = undefined;
      throw new Error('crash before the submit');
    };
    await expect(deliverBlocks(t, t.deps, 0n, 5n)).rejects.toThrow(/crash before the submit/);
    expect((await t.store.get('range/0-5'))?.status).toBe('running');
    await deliverBlocks(t, t.deps, 4n, 5n);
    expect(t.jobs.submitted).toEqual([]);

    // Act
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS);
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });

    // Assess: submitted once, under the attempt's name, and recorded
    expect(t.jobs.submitted.map((job) => job.name)).toEqual(['range-0-5-a1']);
    expect((await t.store.get('range/0-5'))?.data).toMatchObject({
      jobName: 'range-0-5-a1',
      jobId: expect.any(String),
    });
  });

  it('plans from a page when another process moved the cursor past where this one last saw it', async () => {
    // Prepare: this process formed range/0-5; another (its own deps) then formed range/5-10
    const t = makeDeps();
    const { store, calls } = recordingStore(t.store);
    const deps = { ...t.deps, store };
    await deliverBlocks(t, deps, 0n, 5n);
    await deliverBlocks(t, { ...t.deps }, 5n, 10n);
    calls.length = 0;

    // Act: blocks 11-15 through this process, one invocation each
    const outcomes = [];
    for (let n = 11n; n <= 15n; n++) outcomes.push(await deliverBlocks(t, deps, n - 1n, n));

    // Assess: the first run's guess (members from block 6) missed, so it read a page (the only one:
    // the later runs' guesses start at the cursor it read); the group still forms
    expect(calls.filter((call) => call.startsWith('getMany cursor/range'))[0]).toContain('blocks/6,');
    expect(calls.filter((call) => call.startsWith('list '))).toEqual(['list message#blocks pending']);
    expect(outcomes.at(-1)?.groups).toEqual([{ groupId: 'range/10-15', status: 'running' }]);
    expect(membershipOf(t.store.all(), 'range', 'blocks/11')).toBe('member');
  });
});
