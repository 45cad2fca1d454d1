import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { setPause } from '../../../lambdas/core/control/pause-switch.js';
import { BlockHold, blocksPerFedGroup, MAX_HOLD_SECONDS } from '../../../lambdas/watcher/block-hold.js';
import type { L2Block, L2BlockSource } from '../../../lambdas/watcher/l2-block-source.js';
import { watchL2Blocks } from '../../../lambdas/watcher/watch-l2-blocks.js';
import { devnetConfig, hashOf, makeDeps } from '../core/orchestrator/orchestrator-fixture.js';
import { recordingStore } from '../core/orchestrator/recording-store.js';

const block = (n: bigint, salt = 0): L2Block => ({
  number: n,
  hash: hashOf(n, salt),
  parentHash: hashOf(n - 1n, n === 1n ? 0 : salt),
  gasUsed: 21_000n,
});

/** An L2 whose head is `head()` (moved by the test), counting every read; `salt` forks it. */
function movingChain(head: () => bigint, salt: () => number = () => 0) {
  let reads = 0;
  const source: L2BlockSource = {
    head: async () => {
      reads++;
      return block(head(), salt());
    },
    block: async (n) => {
      reads++;
      return block(n, salt());
    },
  };
  return { source, reads: () => reads };
}

/** The devnet (ticks each second, range groups of 5 blocks) with the watcher's block hold. */
function heldWatcher() {
  const t = makeDeps();
  const { store, calls } = recordingStore(t.store);
  let head = 0n;
  const l2 = movingChain(() => head);
  const hold = new BlockHold(t.deps.config);
  const tick = async (to: bigint) => {
    head = to;
    const outcome = await watchL2Blocks({ ...t.deps, store, source: l2.source, hold });
    t.clock.advanceSeconds(1);
    return outcome;
  };
  return { t, calls, l2, tick };
}

describe('BlockHold: the watcher sends blocks a group at a time when it ticks faster than a group fills', () => {
  it('enqueues through each group end, and a tick with only held blocks makes no store call', async () => {
    // Prepare: a fresh container's first tick sends blocks 1-2; then one block per tick.
    const { t, calls, tick } = heldWatcher();
    await tick(2n);
    calls.splice(0);
    const storeCallsPerTick: number[] = [];

    // Act
    for (let n = 3n; n <= 12n; n++) {
      await tick(n);
      storeCallsPerTick.push(calls.splice(0).length);
    }

    // Assess: 3-5 sent on the tick that saw block 5, 6-10 on the one that saw 10; 11-12 held.
    expect(t.bus.published.map((e) => e.key)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(storeCallsPerTick).toEqual([0, 0, 2, 0, 0, 0, 0, 2, 0, 0]);
  });

  it(`sends held blocks at most ${MAX_HOLD_SECONDS} s after the last full run when the chain stalls`, async () => {
    // Prepare: blocks 1-5 sent; then the chain stops at block 7.
    const { t, tick } = heldWatcher();
    await tick(0n);
    for (let n = 1n; n <= 5n; n++) await tick(n);
    const sentBefore = t.bus.published.length;

    // Act: ticks each second at head 7.
    const outcomes = [];
    for (let i = 0; i < MAX_HOLD_SECONDS; i++) outcomes.push(await tick(7n));

    // Assess
    expect(outcomes.slice(0, -1).map((o) => 'held' in o && o.held)).toEqual(
      Array.from({ length: MAX_HOLD_SECONDS - 1 }, () => 2),
    );
    expect(outcomes.at(-1)).toMatchObject({ enqueuedHead: 7n, enqueued: 2 });
    expect(t.bus.published.slice(sentBefore).map((e) => e.key)).toEqual(['6', '7']);
  });

  it('still detects a reorg under held blocks when it sends them', async () => {
    // Prepare: blocks 1-5 sent; then the chain forks below block 6's parent (block 5 replaced).
    const t = makeDeps();
    let head = 0n;
    let salt = 0;
    const l2 = movingChain(
      () => head,
      () => salt,
    );
    const hold = new BlockHold(t.deps.config);
    const tick = async (to: bigint) => {
      head = to;
      const outcome = await watchL2Blocks({ ...t.deps, source: l2.source, hold });
      t.clock.advanceSeconds(1);
      return outcome;
    };
    await tick(0n);
    for (let n = 1n; n <= 5n; n++) await tick(n);
    salt = 1;

    // Act
    const outcomes = [];
    for (let n = 6n; n <= 10n; n++) outcomes.push(await tick(n));

    // Assess: the tick that sends 6-10 sees block 6's parent differ from the enqueued block 5.
    expect(outcomes.at(-1)).toMatchObject({ reorgAt: 6n, enqueued: 0 });
  });

  it('honours a pause set between ticks, then reads nothing from L2 while paused', async () => {
    // Prepare: blocks 1-5 sent; then the operator pauses the watcher.
    const { t, l2, tick } = heldWatcher();
    await tick(0n);
    for (let n = 1n; n <= 5n; n++) await tick(n);
    await setPause(
      t.store,
      { kind: 'watcher' },
      { reason: 'migration', by: 'alice', setter: 'operator', at: t.clock.now() },
    );

    // Act: the chain goes on; the watcher ticks.
    for (let n = 6n; n <= 10n; n++) await tick(n);
    const readsWhenPaused = l2.reads();
    const paused = await tick(11n);

    // Assess
    expect(t.bus.published.map((e) => e.key)).toEqual(['1', '2', '3', '4', '5']);
    expect(paused).toMatchObject({ paused: { reason: 'migration' } });
    expect(l2.reads()).toBe(readsWhenPaused);
  });

  it('holds nothing on AWS-like ticks (a minute apart) or when the fed stage cuts ranges by gas', async () => {
    // Prepare
    const devnet = devnetConfig();
    const minutely = { ...devnet, watcher: { ...devnet.watcher, schedule: { everySeconds: 60 } } };
    const aws = loadPipelineConfig(resolve(import.meta.dirname, '../../../config/aws-example.json'));

    // Act
    const minutelyHold = new BlockHold(minutely);
    minutelyHold.ranClean(0n, 0, false);

    // Assess
    expect(blocksPerFedGroup(devnet)).toBe(5);
    expect(blocksPerFedGroup(aws)).toBe(1);
    expect(minutelyHold.armed(1000)).toBe(false);
    expect(minutelyHold.enqueueThrough(0n, 7n, 1000)).toBe(7n);
  });
});
