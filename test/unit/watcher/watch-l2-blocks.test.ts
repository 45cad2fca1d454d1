import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../lambdas/adapters/memory/manual-clock.js';
import type { L2Block, L2BlockSource } from '../../../lambdas/watcher/l2-block-source.js';
import {
  CURSOR_CHUNK_BLOCKS,
  WATCHER_CURSOR_ID,
  watchL2Blocks,
} from '../../../lambdas/watcher/watch-l2-blocks.js';
import { devnetConfig, hashOf, makeDeps } from '../core/orchestrator/orchestrator-fixture.js';
import { recordingStore } from '../core/orchestrator/recording-store.js';

/** Block `n` of the fake L2; its gas (21000 per block number) tells blocks apart. */
const block = (n: bigint): L2Block => ({
  number: n,
  hash: hashOf(n),
  parentHash: hashOf(n - 1n),
  gasUsed: 21_000n * n,
});

/** An L2 with blocks 0…head; `onBlock` runs before each numbered read (to fail or to move the clock). */
function chain(head: bigint, onBlock: (n: bigint) => void = () => undefined): L2BlockSource {
  return {
    head: async () => block(head),
    block: async (n) => {
      onBlock(n);
      return block(n);
    },
  };
}

function watcherDeps(clock?: (c: ManualClock) => void) {
  const config = devnetConfig();
  const t = makeDeps({ ...config, watcher: { ...config.watcher, maxBlocksPerRun: 300 } });
  clock?.(t.clock);
  return t;
}

describe('watchL2Blocks', () => {
  it("puts each block's number, hashes and gasUsed (a decimal string) in its message", async () => {
    // Prepare
    const t = watcherDeps();
    // Act
    await watchL2Blocks({ ...t.deps, source: chain(2n) });
    // Assess
    expect(t.bus.published.map((e) => e.payload)).toEqual([
      { number: '1', hash: hashOf(1n), parentHash: hashOf(0n), gasUsed: '21000' },
      { number: '2', hash: hashOf(2n), parentHash: hashOf(1n), gasUsed: '42000' },
    ]);
  });

  it('keeps the chunks enqueued before an RPC failure: the cursor moved per chunk', async () => {
    // Prepare: block 2 × CURSOR_CHUNK_BLOCKS + 5 cannot be read.
    const t = watcherDeps();
    const failing = BigInt(2 * CURSOR_CHUNK_BLOCKS + 5);
    const source = chain(200n, (n) => {
      if (n === failing) throw new Error('RPC timed out');
    });

    // Act
    const run = watchL2Blocks({ ...t.deps, source });

    // Assess
    await expect(run).rejects.toThrow('RPC timed out');
    const saved = BigInt(2 * CURSOR_CHUNK_BLOCKS);
    expect((await t.store.get(WATCHER_CURSOR_ID))?.data).toEqual({
      position: saved.toString(),
      hash: hashOf(saved),
    });
    expect(t.bus.published.map((e) => e.key)).toEqual(
      Array.from({ length: 2 * CURSOR_CHUNK_BLOCKS }, (_, i) => String(i + 1)),
    );
  });

  it('stops at the deadline, enqueues what it read and advances the cursor; the next run goes on', async () => {
    // Prepare: every block read takes a second; the deadline is 10 s away.
    const t = watcherDeps();
    const slow = chain(100n, () => t.clock.advanceSeconds(1));
    const deadline = t.clock.now().getTime() + 10_000;

    // Act
    const first = await watchL2Blocks({ ...t.deps, source: slow, deadline });
    const second = await watchL2Blocks({ ...t.deps, source: chain(100n) });

    // Assess
    // Block 0 (the cursor's creation) and blocks 1…9 fit before the deadline.
    expect(first).toMatchObject({ head: 100n, enqueuedHead: 9n, enqueued: 9, stoppedAtDeadline: true });
    expect(t.logger.at('warn').map((e) => e.message)).toEqual([
      'watcher stopped at its deadline; the next run continues from the cursor',
    ]);
    expect(second).toEqual({ head: 100n, enqueuedHead: 100n, enqueued: 91 });
    const keys = t.bus.published.map((e) => e.key);
    expect(keys).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
  });

  it('stops when another run moved the cursor between its chunks, and reports the race', async () => {
    // Prepare: a second run moves the cursor while this one reads its second chunk.
    const t = watcherDeps();
    let raced = false;
    const source = chain(200n, (n) => {
      if (n !== BigInt(CURSOR_CHUNK_BLOCKS + 3) || raced) return;
      raced = true;
      void t.store.get(WATCHER_CURSOR_ID).then((item) => {
        if (item !== undefined) void t.store.replace(item, item.version);
      });
    });

    // Act
    const outcome = await watchL2Blocks({ ...t.deps, source });

    // Assess
    expect(outcome).toMatchObject({
      enqueuedHead: BigInt(CURSOR_CHUNK_BLOCKS),
      enqueued: CURSOR_CHUNK_BLOCKS,
      lostCursorRace: true,
    });
    expect(t.logger.at('warn').map((e) => e.message)).toEqual([
      'watcher cursor moved by another run; this run only repeated messages',
    ]);
  });

  it('reads its pause switch, rewind intent and cursor in one batch; a run with no new block makes no other store call', async () => {
    // Prepare: blocks 1-3 enqueued; the second run finds the head still at 3, the third at 4.
    const t = watcherDeps();
    await watchL2Blocks({ ...t.deps, source: chain(3n) });
    const { store, calls } = recordingStore(t.store);

    // Act
    await watchL2Blocks({ ...t.deps, store, source: chain(3n) });
    const idle = calls.splice(0);
    await watchL2Blocks({ ...t.deps, store, source: chain(4n) });

    // Assess
    const batch = `getMany pause/watcher,rewind/l2,${WATCHER_CURSOR_ID}`;
    expect(idle).toEqual([batch]);
    expect(calls).toEqual([batch, `replace ${WATCHER_CURSOR_ID}`]);
  });
});
