import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { CLAIM_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { runScheduledCollectors } from '../../../../lambdas/core/orchestrator/scheduled-collectors.js';
import type { OrchestratorDeps } from '../../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { SWEEP_INTERVAL_SECONDS } from '../../../../lambdas/core/orchestrator/sweep-schedule.js';
import type { StateStore } from '../../../../lambdas/core/ports/state-store.js';
import { twoProvers } from './join-fixture.js';
import { blockEnvelope, makeDeps, type TestDeps } from './orchestrator-fixture.js';

/** Deps whose store logs every `list` as `<kind> <status>`, and can be made to fail one list. */
function listingDeps(t: TestDeps): {
  deps: OrchestratorDeps;
  lists: string[];
  failNext: (what: string) => void;
} {
  const lists: string[] = [];
  let failing: string | undefined;
  const store = new Proxy(t.store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'list') {
          const what = `${String(args[0])} ${String(args[1])}`;
          lists.push(what);
          if (what === failing) {
            failing = undefined;
            return Promise.reject(new Error('store outage'));
          }
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StateStore;
  return { deps: { ...t.deps, store }, lists, failNext: (what) => (failing = what) };
}

const sweepLists = (lists: readonly string[]) => lists.filter((what) => what.startsWith('group#'));

describe('the scheduled run sweeps when due, not on every tick', () => {
  it('sweeps on its first run, not again inside SWEEP_INTERVAL_SECONDS, and again once they passed', async () => {
    // Prepare
    const t = makeDeps();
    const { deps, lists } = listingDeps(t);

    // Act
    await runCollectors(deps);
    const first = sweepLists(lists.splice(0));
    t.clock.advanceSeconds(SWEEP_INTERVAL_SECONDS - 1);
    await runCollectors(deps);
    const inside = sweepLists(lists.splice(0));
    t.clock.advanceSeconds(1);
    await runCollectors(deps);
    const after = sweepLists(lists.splice(0));

    // Assess: one list of the running groups serves both sweeps
    const sweep = ['collected', 'running', 'failed', 'retried'].map((status) => `group#range ${status}`);
    expect(first.filter((what) => what.startsWith('group#range'))).toEqual(sweep);
    expect(first.filter((what) => what.startsWith('group#aggregate'))).toHaveLength(4);
    expect(inside).toEqual([]);
    expect(after).toEqual(first);
  });

  it('keeps a sweep that failed due, so the next tick runs it again', async () => {
    // Prepare
    const t = makeDeps();
    const { deps, lists, failNext } = listingDeps(t);
    failNext('group#range failed');

    // Act
    const failed = runCollectors(deps);
    await expect(failed).rejects.toThrow('store outage');
    lists.splice(0);
    await runCollectors(deps);
    const again = sweepLists(lists.splice(0));

    // Assess: the failed stage sweeps again at once; the other one waits its interval
    expect(again).toEqual([
      'group#range collected',
      'group#range running',
      'group#range failed',
      'group#range retried',
    ]);
  });

  it('sweeps on every run when told to, and never when told not to', async () => {
    // Prepare
    const t = makeDeps();
    const { deps, lists } = listingDeps(t);

    // Act
    await runCollectors(deps, undefined, { sweeps: true });
    await runCollectors(deps, undefined, { sweeps: true });
    const forced = sweepLists(lists.splice(0));
    await runCollectors(deps, undefined, { sweeps: false });
    const none = sweepLists(lists.splice(0));

    // Assess
    expect(forced).toHaveLength(16);
    expect(none).toEqual([]);
  });

  it("records a join stage's finished sweep too, so it is not swept again inside SWEEP_INTERVAL_SECONDS", async () => {
    // Prepare: the two-prover config, whose join stage runs no jobs.
    const t = makeDeps(twoProvers());
    const { deps, lists } = listingDeps(t);
    const join = t.deps.config.stages.find((stage) => 'join' in stage)?.name;
    const joinLists = () => sweepLists(lists.splice(0)).filter((what) => what.startsWith(`group#${join} `));

    // Act
    await runCollectors(deps);
    const first = joinLists();
    t.clock.advanceSeconds(SWEEP_INTERVAL_SECONDS - 1);
    await runCollectors(deps);
    const inside = joinLists();

    // Assess
    expect(first).toContain(`group#${join} retried`);
    expect(inside).toEqual([]);
  });
});

describe('a repair comes at most one sweep interval after it is due', () => {
  it.each([0, 1, 15, SWEEP_INTERVAL_SECONDS - 1])(
    'moves a group a crash left failed on within CLAIM_GRACE_SECONDS + SWEEP_INTERVAL_SECONDS on 1 s ticks (crash %i s after a sweep)',
    async (offset) => {
      // Prepare: a process sweeps on its first tick; range/0-5 runs; `offset` s later its FAILED
      // completion dies after `running → failed`
      const t = makeDeps();
      await runScheduledCollectors(t.deps);
      for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
      t.clock.advanceSeconds(offset);
      t.store.beforeWrite = (operation, _id, item) => {
        if (operation === 'replace' && item?.status === 'retried') throw new Error('handler crashed');
      };
      const failed = { stage: 'range', groupId: 'range/0-5', attempt: 1, jobName: 'range-0-5-a1' };
      await expect(finishJob(t.deps, { ...failed, status: 'FAILED' })).rejects.toThrow('handler crashed');
      t.store.beforeWrite = undefined;

      // Act: the watcher's ticks, one a second, until the group moved on
      let waited = 0;
      while ((await t.store.get('range/0-5'))?.status === 'failed' && waited < 200) {
        t.clock.advanceSeconds(1);
        waited += 1;
        await runScheduledCollectors(t.deps);
      }

      // Assess
      expect(waited).toBeGreaterThanOrEqual(CLAIM_GRACE_SECONDS);
      expect(waited).toBeLessThanOrEqual(CLAIM_GRACE_SECONDS + SWEEP_INTERVAL_SECONDS);
      expect(t.jobs.submitted.map((job) => job.name)).toEqual(['range-0-5-a1', 'range-0-5-a2']);
    },
  );
});
