import { describe, expect, it } from 'vitest';
import { clearPause, setPause } from '../../../../lambdas/core/control/pause-switch.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { membershipOf } from './group-invariants.js';
import {
  blockEnvelope,
  hashOf,
  makeDeps,
  rangeProofEnvelope,
  type TestDeps,
} from './orchestrator-fixture.js';

const AGGREGATE_INPUTS = {
  checkpoint: { l1BlockNumber: '77', l1BlockHash: hashOf(77n) },
  rangeVkey: hashOf(7n, 2),
  proverAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
};

/** Dispatches blocks from..to; block `byKey` travels by payload key whose blob was never written. */
async function dispatchBlocks(t: TestDeps, from: bigint, to: bigint, byKey?: bigint): Promise<void> {
  for (let n = from; n <= to; n++) {
    const envelope = blockEnvelope(n, t.clock);
    if (n === byKey) {
      const { payload: _, ...rest } = envelope;
      await dispatchMessage(t.deps, { ...rest, payloadKey: `payloads/blocks/${n}.json` });
    } else {
      await dispatchMessage(t.deps, envelope);
    }
  }
}

describe('per-group isolation: a group whose input cannot be built', () => {
  it('is abandoned (missing payload blob) while later groups and dispatches go on', async () => {
    // Prepare
    const t = makeDeps();
    // Act: no dispatch may throw, although range/0-5 can never be built
    await dispatchBlocks(t, 1n, 5n, 3n);
    await dispatchBlocks(t, 6n, 10n);
    await runCollectors(t.deps);
    // Assess
    const bad = (await t.store.get('range/0-5'))!;
    expect(bad.status).toBe('abandoned');
    expect(bad.data).toMatchObject({ inputUnbuildable: true });
    expect(bad.data.error).toMatch(/blob payloads\/blocks\/3\.json .*message blocks\/3 is missing/);
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
    expect((await t.store.get('range/5-10'))!).toMatchObject({
      status: 'running',
      data: { jobName: 'range-5-10-a1' },
    });
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-5-10-a1']);
    expect(membershipOf(t.store.all(), 'range', 'blocks/10')).toBe('member');
  });

  it('is abandoned when a member payload is invalid, the error naming the message and path', async () => {
    // Prepare
    const t = makeDeps();
    const bad = blockEnvelope(2n, t.clock);
    // Act
    await dispatchBlocks(t, 1n, 1n);
    const outcome = await dispatchMessage(t.deps, { ...bad, payload: { number: '2', hash: '0x12' } });
    await dispatchBlocks(t, 3n, 5n);
    // Assess
    const group = (await t.store.get('range/0-5'))!;
    expect(group.status).toBe('abandoned');
    expect(group.data.error).toMatch(/invalid block message blocks\/2: payload\.hash: .*\(got "0x12"\)/);
    expect(outcome.recorded).toBe('new');
    expect(t.logger.at('error').map((e) => e.message)).toContain(
      'group abandoned: its executor input cannot be built',
    );
  });

  it('giveCheckpoint abandons an aggregate group with a missing range proof blob and goes on', async () => {
    // Prepare: aggregate/0-10 has a range proof whose blob is gone; aggregate/10-20 is fine
    const t = makeDeps();
    const { payload: _, ...byKey } = rangeProofEnvelope(0n, 10n, t.clock);
    await dispatchMessage(t.deps, { ...byKey, payloadKey: 'payloads/range-proofs/0-10.json' });
    await dispatchMessage(t.deps, rangeProofEnvelope(10n, 20n, t.clock));
    // Act
    const results = [
      await giveCheckpoint(t.deps, 'aggregate/0-10', AGGREGATE_INPUTS),
      await giveCheckpoint(t.deps, 'aggregate/10-20', AGGREGATE_INPUTS),
    ];
    // Assess
    expect(results).toEqual(['abandoned', 'submitted']);
    expect((await t.store.get('aggregate/0-10'))!.status).toBe('abandoned');
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['aggregate-10-20-a1']);
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
  });

  it('finishes failed → abandoned on the next run when a crash came between the two writes', async () => {
    // Prepare: crash on the write that would abandon the failed group
    const t = makeDeps();
    t.store.beforeWrite = (operation, id, item) => {
      if (operation === 'replace' && id === 'range/0-5' && item?.status === 'abandoned')
        throw new Error('crash');
    };
    await expect(dispatchBlocks(t, 1n, 5n, 3n)).rejects.toThrow('crash');
    expect((await t.store.get('range/0-5'))!.status).toBe('failed');
    t.store.beforeWrite = undefined;
    // Act
    await runCollectors(t.deps);
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('abandoned');
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
  });
});

describe('per-group isolation: a corrupt group item', () => {
  it('does not stop the hand-over of the other collected groups, and the run still reports it', async () => {
    // Prepare: a collected item whose data is not a group's, listed before range/0-5, which its
    // stage's pause left collected (the pause then cleared)
    const t = makeDeps();
    const corrupt = { id: 'range/x', kind: 'group#range', status: 'collected', sortKey: '0', data: {} };
    await t.store.create(corrupt);
    const stage = { kind: 'stage', stage: 'range' } as const;
    await setPause(t.store, stage, { reason: 'test', by: 'alice', setter: 'operator', at: t.clock.now() });
    for (let n = 1n; n <= 5n; n++)
      await dispatchMessage(t.deps, blockEnvelope(n, t.clock)).catch(() => undefined);
    await clearPause(t.store, stage);
    expect((await t.store.get('range/0-5'))!.status).toBe('collected');
    // Act: the scheduled run lists every collected group
    const run = runCollectors(t.deps);
    // Assess: the run reports the corrupt item by name, and range/0-5 was handed over anyway
    await expect(run).rejects.toThrow(/invalid group item range\/x/);
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
    expect(t.logger.at('error').map((e) => e.message)).toContain(
      'group hand-over failed; going on with the others',
    );
  });
});
