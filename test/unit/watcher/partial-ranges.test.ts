import { describe, expect, it } from 'vitest';
import { setPause } from '../../../lambdas/core/control/pause-switch.js';
import { PLAN_PAGE_SIZE } from '../../../lambdas/core/orchestrator/collector/plan-page.js';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { runScheduledCollectors } from '../../../lambdas/core/orchestrator/scheduled-collectors.js';
import { SWEEP_INTERVAL_SECONDS } from '../../../lambdas/core/orchestrator/sweep-schedule.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { BlockHold } from '../../../lambdas/watcher/block-hold.js';
import type { L2Block, L2BlockSource } from '../../../lambdas/watcher/l2-block-source.js';
import { PartialRanges } from '../../../lambdas/watcher/partial-ranges.js';
import { watchL2Blocks } from '../../../lambdas/watcher/watch-l2-blocks.js';
import { hashOf, makeDeps } from '../core/orchestrator/orchestrator-fixture.js';
import { recordingStore } from '../core/orchestrator/recording-store.js';

/** Block `n`; `salt` forks the chain above block 1. */
const block = (n: bigint, salt = 0): L2Block => ({
  number: n,
  hash: hashOf(n, salt),
  parentHash: hashOf(n - 1n, n === 1n ? 0 : salt),
  gasUsed: 21_000n,
});

/**
 * The devnet watcher handler's tick (block hold, partial ranges, then the scheduled collectors) each
 * second, over an L2 whose head the test moves; the dispatcher records what was sent after each
 * tick unless `delivery` holds it back. Records the store calls of each tick; `fork` reorgs the L2.
 */
function devnetWatcher() {
  const t = makeDeps();
  const { store, calls } = recordingStore(t.store);
  const deps = { ...t.deps, store };
  let head = 0n;
  let salt = 0;
  const source: L2BlockSource = { head: async () => block(head, salt), block: async (n) => block(n, salt) };
  const hold = new BlockHold(t.deps.config);
  const partialRanges = new PartialRanges(t.deps.config);
  let delivered = 0;
  const deliver = async () => {
    while (delivered < t.bus.published.length) await dispatchMessage(t.deps, t.bus.published[delivered++]!);
  };
  const tick = async (to: bigint, delivery: 'deliver' | 'hold back' = 'deliver') => {
    head = to;
    await watchL2Blocks({ ...deps, source, hold, partialRanges });
    const outcome = await runScheduledCollectors(deps, partialRanges.canBeDue);
    const tickCalls = calls.splice(0);
    if (delivery === 'deliver') await deliver();
    t.clock.advanceSeconds(1);
    return { calls: tickCalls, groups: outcome.groups.map((handover) => handover.groupId) };
  };
  const fork = () => {
    salt = 1;
  };
  return { t, tick, deliver, fork, partialRanges };
}

/** The calls of the range stage's collector (its batch read starts with its cursor). */
const rangeLooks = (calls: readonly string[]) =>
  calls.filter((call) => call.startsWith('getMany cursor/range'));

describe('PartialRanges: the watcher looks for a max-wait flush only when a partial range can be due', () => {
  it('a holding tick makes no store call, a sending tick only the watcher batch read and its cursor write', async () => {
    // Prepare: a first tick (the sweeps, the first full run), then one block per second; blocks 1-10 sent.
    const { tick } = devnetWatcher();
    for (let n = 0n; n <= 10n; n++) await tick(n);

    // Act: ticks 11-14 see blocks 11-14 (held for the group ending at 15), tick 15 sends 11-15.
    const calls: string[][] = [];
    for (let n = 11n; n <= 15n; n++) calls.push((await tick(n)).calls);

    // Assess: no tick looks at the range stage for a flush.
    expect(calls.slice(0, 4)).toEqual([[], [], [], []]);
    expect(calls[4]!.slice(0, 2)).toEqual([
      'getMany pause/watcher,rewind/l2,cursor/watcher,cursor/range',
      'replace cursor/watcher',
    ]);
  });

  it('flushes a partial range one tick after its max wait with one look, then stops looking', async () => {
    // Prepare: the chain stops at block 12; blocks 11-12 are held 5 s, then sent (and recorded) at 15 s.
    const { t, tick } = devnetWatcher();
    const seconds = () => t.clock.now().getTime() / 1000;
    const start = seconds();
    for (let n = 0n; n <= 12n; n++) await tick(n);
    const sent = await tick(12n)
      .then(() => tick(12n))
      .then(() => tick(12n));
    expect(sent.calls).toContain('replace cursor/watcher');
    const maxWait = 20;
    const recordedAt = seconds() - 1;

    // Act: ticks until 26 s after recording.
    const ticks: { at: number; calls: string[]; groups: string[] }[] = [];
    while (seconds() <= recordedAt + maxWait + 6) {
      const at = seconds();
      ticks.push({ at, ...(await tick(12n)) });
    }

    // Assess: besides the sweep ticks, one look flushes at maxWait + one tick; one more before the
    // next full run reads the range cursor past block 12.
    const swept = (at: number) => (at - start) % SWEEP_INTERVAL_SECONDS === 0;
    const looks = ticks.filter((x) => !swept(x.at) && rangeLooks(x.calls).length > 0);
    expect(looks.map((x) => x.at - recordedAt)).toEqual([maxWait + 1, maxWait + 3]);
    expect(looks[0]!.groups).toEqual(['range/10-12']);
    expect(looks[0]!.calls).toEqual([
      // The batch read carries the members of as many whole groups as fit in a plan page.
      `getMany cursor/range,pause/stage/range,breaker/range,${readAhead(11, Math.floor(PLAN_PAGE_SIZE / 5) * 5)}`,
      'replace cursor/range',
      'create range/10-12',
      'replace range/10-12',
    ]);
  });

  it('flushes a block recorded late (a redelivery) within its max wait and a tenth of it of recording', async () => {
    // Prepare: as above, but blocks 11-12 reach the dispatcher only 10 s after they were sent.
    const { t, tick, deliver } = devnetWatcher();
    const seconds = () => t.clock.now().getTime() / 1000;
    for (let n = 0n; n <= 12n; n++) await tick(n);
    await tick(12n);
    await tick(12n);
    await tick(12n, 'hold back');
    for (let i = 0; i < 10; i++) await tick(12n, 'hold back');
    await deliver();
    const recordedAt = seconds();

    // Act
    let flushedAt: number | undefined;
    while (flushedAt === undefined && seconds() <= recordedAt + 30) {
      const at = seconds();
      if ((await tick(12n)).groups.includes('range/10-12')) flushedAt = at;
    }

    // Assess: 20 s max wait; the periodic rule looks every 2 s once the send is older than that.
    expect(flushedAt).toBeDefined();
    expect(flushedAt! - recordedAt).toBeGreaterThanOrEqual(20);
    expect(flushedAt! - recordedAt).toBeLessThanOrEqual(22);
  });

  it('counts blocks it did not see sent as overdue: a fresh container, another run, a forgotten run', async () => {
    // Prepare: the range cursor at 10; the watcher cursor at 10.
    const t = makeDeps();
    const range = t.deps.config.stages.find((stage) => stage.name === 'range')!;
    const aggregate = t.deps.config.stages.find((stage) => stage.name === 'aggregate')!;
    const rangeAt = async (position: bigint) => {
      const item = await t.store.get('cursor/range');
      const data = { position: position.toString() };
      if (item === undefined)
        await t.store.create({
          id: 'cursor/range',
          kind: 'cursor',
          status: 'active',
          sortKey: 'range',
          data,
        });
      else await t.store.replace({ ...item, data }, item.version);
    };
    await rangeAt(10n);
    const ranges = new PartialRanges(t.deps.config);
    const run = async (from: bigint, to: bigint, at: number) => {
      await ranges.readCursors(t.store, from, at, 0n);
      ranges.ranClean(to);
    };

    // Act + Assess: a fresh container's first run (10 → 15) cannot know when 11-15 were sent.
    const verdicts: (boolean | undefined)[] = [ranges.canBeDue(range, 0)];
    await run(10n, 15n, 0);
    verdicts.push(ranges.canBeDue(range, 1_000));
    // Its next run reads the range cursor at 15: only its own send (15 → 20, at 5 s) is left.
    await rangeAt(15n);
    await run(15n, 20n, 5_000);
    verdicts.push(ranges.canBeDue(range, 25_999), ranges.canBeDue(range, 26_000));
    // Another run moved the watcher cursor (20 → 23) before this one (from 23).
    await run(23n, 25n, 30_000);
    verdicts.push(ranges.canBeDue(range, 30_000));
    await rangeAt(25n);
    await run(25n, 25n, 35_000);
    verdicts.push(ranges.canBeDue(range, 35_000));
    ranges.forget();
    verdicts.push(ranges.canBeDue(range, 35_000), ranges.canBeDue(aggregate, 35_000));
    expect(verdicts).toEqual([true, true, false, true, true, false, true, undefined]);
  });

  it('leaves the stage to the periodic looks when its cursor does not parse; the watcher goes on', async () => {
    // Prepare: a corrupt range cursor.
    const t = makeDeps();
    const range = t.deps.config.stages.find((stage) => stage.name === 'range')!;
    const data = { position: 'twelve' };
    await t.store.create({ id: 'cursor/range', kind: 'cursor', status: 'active', sortKey: 'range', data });
    const partialRanges = new PartialRanges(t.deps.config);
    const source: L2BlockSource = { head: async () => block(3n), block: async (n) => block(n) };

    // Act
    const outcome = await watchL2Blocks({ ...t.deps, source, partialRanges });

    // Assess
    expect(outcome).toMatchObject({ enqueuedHead: 3n, enqueued: 3 });
    expect(partialRanges.canBeDue(range, t.clock.now().getTime())).toBe(true);
  });

  it('a pause still stops the watcher and a reorg is still detected; both resume the periodic looks', async () => {
    // Prepare: blocks 1-10 sent and grouped; no partial range can be due.
    const paused = devnetWatcher();
    const reorged = devnetWatcher();
    for (const { tick } of [paused, reorged]) for (let n = 0n; n <= 10n; n++) await tick(n);
    const range = paused.t.deps.config.stages.find((stage) => stage.name === 'range')!;
    const now = (t: typeof paused.t) => t.clock.now().getTime();
    const before = [paused, reorged].map(({ t, partialRanges }) => partialRanges.canBeDue(range, now(t)));

    // Act: the operator pauses one watcher; the other's L2 forks below block 11.
    await setPause(
      paused.t.store,
      { kind: 'watcher' },
      { reason: 'migration', by: 'alice', setter: 'operator', at: paused.t.clock.now() },
    );
    reorged.fork();
    for (let n = 11n; n <= 15n; n++) for (const { tick } of [paused, reorged]) await tick(n);

    // Assess
    expect(before).toEqual([false, false]);
    expect(paused.t.bus.published).toHaveLength(10);
    expect(reorged.t.metrics.total(METRIC.reorgsDetected)).toBeGreaterThan(0);
    const after = [paused, reorged].map(({ t, partialRanges }) => partialRanges.canBeDue(range, now(t)));
    expect(after).toEqual([true, true]);
  });
});

/** The block message ids `blocks/<from>` … of a read-ahead of `count` blocks, comma-separated. */
function readAhead(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `blocks/${from + i}`).join(',');
}
