import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { blockEnvelope, makeDeps } from './orchestrator-fixture.js';

describe('a group abandoned while its job may run', () => {
  it('terminates the job a crashed submit left running when the group’s input can no longer be built', async () => {
    // Prepare: range/0-5's job reaches the runner, then the dispatcher dies before recording the submit.
    const t = makeDeps();
    t.store.beforeWrite = (operation, id, item) => {
      if (operation === 'replace' && id === 'range/0-5' && item?.data.jobId !== undefined)
        throw new Error('crash');
    };
    for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await expect(dispatchMessage(t.deps, blockEnvelope(5n, t.clock))).rejects.toThrow('crash');
    t.store.beforeWrite = undefined;
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    // A member message is gone, so the recovery cannot build the input again.
    const member = (await t.store.get('blocks/3'))!;
    expect(await t.store.delete(member.id, member.version)).toBe(true);
    // Act: the sweep past the claim's grace period.
    t.clock.advanceSeconds(CLAIM_GRACE_SECONDS);
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('abandoned');
    expect(t.jobs.terminated).toEqual([
      { name: 'range-0-5-a1', reason: "group-abandoned: range/0-5's executor input cannot be built" },
    ]);
  });
});
