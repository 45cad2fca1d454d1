import { describe, expect, it } from 'vitest';
import { clearPause, setPause } from '../../../lambdas/core/control/pause-switch.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import type { L2BlockSource } from '../../../lambdas/watcher/l2-block-source.js';
import { watchL2Blocks } from '../../../lambdas/watcher/watch-l2-blocks.js';
import { hashOf, makeDeps } from '../core/orchestrator/orchestrator-fixture.js';

/** An L2 with blocks 0…head that counts every read. */
function countingChain(head: bigint): { source: L2BlockSource; reads: () => number } {
  let reads = 0;
  const block = (n: bigint) => ({ number: n, hash: hashOf(n), parentHash: hashOf(n - 1n), gasUsed: 0n });
  return {
    source: {
      head: async () => {
        reads++;
        return block(head);
      },
      block: async (n) => {
        reads++;
        return block(n);
      },
    },
    reads: () => reads,
  };
}

describe('watchL2Blocks while pause/watcher is set', () => {
  it('reads no block, enqueues nothing and says why; after the resume it enqueues from its cursor', async () => {
    // Prepare
    const t = makeDeps();
    const l2 = countingChain(3n);
    const watcher = { kind: 'watcher' } as const;
    await setPause(t.store, watcher, {
      reason: 'L2 sequencer migration',
      by: 'alice',
      setter: 'operator',
      at: t.clock.now(),
    });
    // Act
    const paused = await watchL2Blocks({ ...t.deps, source: l2.source });
    // Assess
    expect(paused).toMatchObject({
      enqueued: 0,
      paused: { reason: 'L2 sequencer migration', by: 'alice', target: 'watcher' },
    });
    expect(l2.reads()).toBe(0);
    expect(t.bus.published).toEqual([]);
    expect(t.metrics.lastGauge(METRIC.paused)).toBe(1);
    expect(t.logger.at('warn').some((e) => e.attributes?.pauseId === 'pause/watcher')).toBe(true);

    // Act
    await clearPause(t.store, watcher);
    const resumed = await watchL2Blocks({ ...t.deps, source: l2.source });
    // Assess
    expect(resumed).toMatchObject({ enqueued: 3, enqueuedHead: 3n });
    expect(resumed.paused).toBeUndefined();
    expect(t.metrics.lastGauge(METRIC.paused)).toBe(0);
  });
});
