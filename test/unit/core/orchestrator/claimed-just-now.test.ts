import { describe, expect, it } from 'vitest';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { blockEnvelope, makeDeps, type TestDeps } from './orchestrator-fixture.js';

/** Delivers blocks (from, to] in one batch, as one dispatcher invocation does. */
async function deliverBlocks(t: TestDeps, from: bigint, to: bigint) {
  const batch = new DeliveryBatch(t.deps);
  for (let n = from + 1n; n <= to; n++) await batch.record(blockEnvelope(n, t.clock));
  return batch.collect();
}

describe('a submit right after its own claim tells the runner no run can exist yet', () => {
  it('a group formed with its job claimed is submitted as claimed just now (the runner skips its look-up)', async () => {
    // Prepare
    const t = makeDeps();

    // Act
    const { groups } = await deliverBlocks(t, 0n, 5n);

    // Assess
    expect(groups).toEqual([{ groupId: 'range/0-5', status: 'running' }]);
    expect(t.jobs.submitted.map((job) => [job.name, job.claimedJustNow])).toEqual([['range-0-5-a1', true]]);
  });

  it('the sweep re-submitting an old claim leaves it unset, so the runner looks the name up first', async () => {
    // Prepare: the submit right after the claiming create crashes once
    const t = makeDeps();
    t.jobs.beforeSubmit = () => {
      t.jobs.beforeSubmit = undefined;
      throw new Error('crash before the submit');
    };
    await expect(deliverBlocks(t, 0n, 5n)).rejects.toThrow(/crash before the submit/);

    // Act
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS);
    await runCollectors(t.deps, t.deps.config.stages, { sweeps: true });

    // Assess
    expect(t.jobs.submitted).toHaveLength(1);
    expect(t.jobs.submitted[0]?.name).toBe('range-0-5-a1');
    expect(t.jobs.submitted[0]?.claimedJustNow).toBeUndefined();
  });
});
