import { describe, expect, it } from 'vitest';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import type { JobCompletion } from '../../../../lambdas/core/orchestrator/group/job-completion.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, devnetConfig, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

/** Devnet deps with blocks 1..5 dispatched: group range/0-5 running attempt 1 (2 attempts, then bisect). */
async function runningRangeGroup(config = devnetConfig()): Promise<TestDeps> {
  const t = makeDeps(config);
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  return t;
}

function completion(
  groupId: string,
  attempt: number,
  status: JobCompletion['status'],
  reason?: string,
): JobCompletion {
  const [stage, span] = groupId.split('/') as [string, string];
  return {
    stage,
    groupId,
    attempt,
    jobName: `${stage}-${span}-a${attempt}`,
    status,
    ...(reason === undefined ? {} : { reason, stderrTail: `tail of ${reason}` }),
    durationSeconds: 12,
  };
}

describe('finishJob on success', () => {
  it('publishes one range-proofs message per result (fan-out) and marks the group succeeded', async () => {
    // Prepare
    const t = await runningRangeGroup();
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', [rangeResult(0n, 2n), rangeResult(2n, 5n)]);
    // Act
    const outcome = await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    const repeat = await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    // Assess
    expect([outcome, repeat]).toEqual(['succeeded', 'ignored']);
    expect(t.bus.published.map((e) => [e.id, e.topic, e.key])).toEqual([
      ['range-proofs/0-2', 'range-proofs', '0-2'],
      ['range-proofs/2-5', 'range-proofs', '2-5'],
    ]);
    expect(t.bus.published[1]!.payload).toEqual(rangeResult(2n, 5n));
    expect((await t.store.get('range/0-5'))!.status).toBe('succeeded');
    expect(t.metrics.total(METRIC.jobSucceeded)).toBe(1);
    expect(t.metrics.lastGauge(METRIC.provenHead)).toBe(5);
    expect(t.metrics.lastGauge(METRIC.jobDurationSeconds)).toBe(12);
  });

  it('sends a payload above inlinePayloadMaxBytes through the blob store, by key', async () => {
    // Prepare
    const base = devnetConfig();
    const t = await runningRangeGroup({ ...base, storage: { ...base.storage, inlinePayloadMaxBytes: 100 } });
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', rangeResult(0n, 5n));
    // Act
    await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    // Assess
    const [envelope] = t.bus.published;
    expect(envelope).toMatchObject({ id: 'range-proofs/0-5', payloadKey: 'payloads/range-proofs/0-5.json' });
    expect(envelope!.payload).toBeUndefined();
    expect(await t.blobs.getJson('payloads/range-proofs/0-5.json')).toEqual(rangeResult(0n, 5n));
  });

  it('refuses a schema-invalid output as a failure whose error names the schema path, and retries', async () => {
    // Prepare
    const t = await runningRangeGroup();
    const bad = { ...rangeResult(0n, 5n), bootInfo: { ...rangeResult(0n, 5n).bootInfo, l2PostRoot: '0x12' } };
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', bad);
    // Act
    const outcome = await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    // Assess
    expect(outcome).toBe('retried');
    expect(t.bus.published).toEqual([]);
    const group = (await t.store.get('range/0-5'))!;
    expect(group.data.error).toMatch(/bootInfo\.l2PostRoot: a 32-byte 0x-prefixed hex string \(got "0x12"\)/);
    expect(group).toMatchObject({ status: 'running', data: { attempt: 2, jobName: 'range-0-5-a2' } });
  });

  it('treats a missing output as a failure', async () => {
    // Prepare
    const t = await runningRangeGroup();
    // Act
    await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    // Assess
    expect((await t.store.get('range/0-5'))!.data.error).toMatch(
      /jobs\/range\/0-5\/a1\/output\.json: missing/,
    );
  });
});

describe('finishJob on failure', () => {
  it('retries, then bisects a range group, then abandons an unsplittable one', async () => {
    // Prepare
    const t = await runningRangeGroup();
    // Act: attempt 1 fails → retried as attempt 2
    expect(await finishJob(t.deps, completion('range/0-5', 1, 'FAILED', 'OOM'))).toBe('retried');
    expect(await finishJob(t.deps, completion('range/0-5', 1, 'FAILED', 'OOM'))).toBe('ignored');
    expect((await t.store.get('range/0-5'))!).toMatchObject({
      status: 'running',
      data: { attempt: 2, error: 'OOM', stderrTail: 'tail of OOM' },
    });
    // Act: attempt 2 fails → split into two halves
    expect(await finishJob(t.deps, completion('range/0-5', 2, 'FAILED', 'bad block'))).toBe('split');
    // Assess
    expect((await t.store.get('range/0-5'))!).toMatchObject({
      status: 'split',
      data: { childGroupIds: ['range/0-3', 'range/3-5'] },
    });
    expect((await t.store.get('range/0-3'))!).toMatchObject({
      status: 'running',
      data: { parentGroupId: 'range/0-5', memberIds: ['blocks/1', 'blocks/2', 'blocks/3'], attempt: 1 },
    });
    expect(t.jobs.submitted.map((j) => j.name)).toEqual([
      'range-0-5-a1',
      'range-0-5-a2',
      'range-0-3-a1',
      'range-3-5-a1',
    ]);
    // Act: bisect down to a single block, which is abandoned
    for (const [id, attempts] of [
      ['range/3-5', 2],
      ['range/4-5', 2],
    ] as const) {
      for (let attempt = 1; attempt <= attempts; attempt++)
        await finishJob(t.deps, completion(id, attempt, 'FAILED', 'bad'));
    }
    // Assess
    expect((await t.store.get('range/3-5'))!.status).toBe('split');
    expect((await t.store.get('range/4-5'))!.status).toBe('abandoned');
    expect((await t.store.get('range/3-4'))!.status).toBe('running');
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
    expect(t.metrics.total(METRIC.jobFailed)).toBe(6);
    expect(await finishJob(t.deps, completion('range/4-5', 2, 'FAILED', 'bad'))).toBe('ignored');
  });

  it('abandons after the last attempt when onExhausted is fail', async () => {
    // Prepare
    const base = devnetConfig();
    const config = {
      ...base,
      stages: base.stages.filter(isProvingStage).map((s) => ({
        ...s,
        executor: { ...s.executor, attempts: 1, onExhausted: 'fail' as const },
      })),
    };
    const t = await runningRangeGroup(config);
    // Act
    const outcome = await finishJob(t.deps, completion('range/0-5', 1, 'FAILED', 'boom'));
    // Assess
    expect(outcome).toBe('abandoned');
    expect((await t.store.get('range/0-5'))!.status).toBe('abandoned');
    expect(t.logger.at('error').map((e) => e.message)).toContain('group abandoned: attempts exhausted');
  });

  it('finishes a retry exactly once whichever single write crashes, when the event is redelivered', async () => {
    // Prepare: count writes of a clean failure → retry
    const dry = await runningRangeGroup();
    let writes = 0;
    dry.store.beforeWrite = () => {
      writes++;
    };
    await finishJob(dry.deps, completion('range/0-5', 1, 'FAILED', 'x'));
    expect(writes).toBeGreaterThanOrEqual(3);
    for (let failAt = 1; failAt <= writes; failAt++) {
      const t = await runningRangeGroup();
      let seen = 0;
      t.store.beforeWrite = () => {
        seen++;
        if (seen === failAt) throw new Error('crash');
      };
      // Act
      await expect(finishJob(t.deps, completion('range/0-5', 1, 'FAILED', 'x'))).rejects.toThrow('crash');
      await finishJob(t.deps, completion('range/0-5', 1, 'FAILED', 'x'));
      // Assess
      expect((await t.store.get('range/0-5'))!, `crash at write ${failAt}`).toMatchObject({
        status: 'running',
        data: { attempt: 2, jobName: 'range-0-5-a2' },
      });
      expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-0-5-a2']);
    }
  });

  it('ignores completions for unknown groups and stale attempts', async () => {
    // Prepare
    const t = await runningRangeGroup();
    // Act + Assess
    expect(await finishJob(t.deps, completion('range/50-55', 1, 'FAILED', 'x'))).toBe('ignored');
    expect(await finishJob(t.deps, completion('range/0-5', 3, 'SUCCEEDED'))).toBe('ignored');
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
  });
});

describe('finishJob: results must cover the group exactly', () => {
  it.each([
    ['a partial output', [rangeResult(0n, 3n)], /blocks 4…5 are not covered/],
    ['overlapping results', [rangeResult(0n, 3n), rangeResult(2n, 5n)], /results 0-3 and 2-5 overlap/],
    ['a gap', [rangeResult(0n, 2n), rangeResult(3n, 5n)], /gap between results 0-2 and 3-5: blocks 3…3/],
    ['a result past the end', [rangeResult(0n, 6n)], /result 0-6 ends after the group 0-5/],
    ['an empty span', [rangeResult(0n, 5n), rangeResult(5n, 5n)], /result 5-5 covers no block/],
  ])('fails the attempt on %s, naming what is wrong, and publishes nothing', async (_, output, error) => {
    // Prepare
    const t = await runningRangeGroup();
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', output);
    // Act
    const outcome = await finishJob(t.deps, completion('range/0-5', 1, 'SUCCEEDED'));
    // Assess
    expect(outcome).toBe('retried');
    expect(t.bus.published).toEqual([]);
    const group = (await t.store.get('range/0-5'))!;
    expect(group.data.error).toMatch(/must cover group range\/0-5 \(0-5\] exactly/);
    expect(group.data.error).toMatch(error);
  });
});
