import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { lambdaContext } from '../../../devnet/stand-ins/lambda-context.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { clearPause, readPause } from '../../../lambdas/core/control/pause-switch.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { createWatcherHandler } from '../../../lambdas/handlers/watcher.js';
import { WATCHER_CURSOR_ID } from '../../../lambdas/watcher/watch-l2-blocks.js';
import { type HandlerStandIns, startHandlerStandIns } from '../../support/aws-stand-ins/handler-stand-ins.js';
import { scheduledEvent } from '../../support/aws-stand-ins/scheduled-event.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const schedule = scheduledEvent('watcher-schedule');

interface BlockMessage {
  id: string;
  payload: { number: string; hash: string; parentHash: string; gasUsed: string };
}

describe('watcher handler against anvil', () => {
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  let anvil: AnvilInstance;
  let standIns: HandlerStandIns;
  let watcher: ReturnType<typeof createWatcherHandler>;
  let runtime: ReturnType<typeof buildRuntime>;

  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return ((await response.json()) as { result: unknown }).result;
  };
  const enqueued = () =>
    standIns.queues
      .receive(standIns.queueName('blocks'), 10)
      .map((m) => JSON.parse(m.body) as BlockMessage)
      .sort((a, b) => Number(a.payload.number) - Number(b.payload.number));

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 901, slotsInAnEpoch: 1 });
    const config = testPipelineConfig('watcher-test', anvil.rpcUrl);
    config.watcher = { ...config.watcher, maxBlocksPerRun: 5, rpcRequestsPerSecond: 1000 };
    standIns = await startHandlerStandIns(config, ['blocks', 'range-proofs', 'aggregate-proofs']);
    runtime = buildRuntime(standIns.env, { logger, metrics });
    // These runs are back to back: no block hold (BlockHold), each sends what it reads.
    watcher = createWatcherHandler(() => runtime, { holdBlocks: false });
    await rpc('anvil_mine', ['0xa']);
  });

  afterAll(async () => {
    await standIns.close();
    await anvil.stop();
  });

  it('enqueues new finalized blocks once each, capped per run, and stages no block data in S3', async () => {
    // Act
    const first = await watcher(schedule, lambdaContext('watcher'));
    const firstMessages = enqueued();
    const second = await watcher(schedule, lambdaContext('watcher'));
    const secondMessages = enqueued();
    const third = await watcher(schedule, lambdaContext('watcher'));

    // Assess
    expect(first).toEqual({ head: '8', enqueuedHead: '5', enqueued: 5, groups: 0 });
    expect(second).toEqual({ head: '8', enqueuedHead: '8', enqueued: 3, groups: 0 });
    expect(third).toEqual({ head: '8', enqueuedHead: '8', enqueued: 0, groups: 0 });
    const messages = [...firstMessages, ...secondMessages];
    expect(messages.map((m) => m.id)).toEqual(
      ['1', '2', '3', '4', '5', '6', '7', '8'].map((n) => `blocks/${n}`),
    );
    expect(enqueued()).toEqual([]);
    for (let i = 1; i < messages.length; i++)
      expect(messages[i]?.payload.parentHash).toBe(messages[i - 1]?.payload.hash);
    const block5 = (await rpc('eth_getBlockByNumber', ['0x5', false])) as { hash: string; gasUsed: string };
    expect(messages[4]?.payload.hash).toBe(block5.hash);
    expect(messages[4]?.payload.gasUsed).toBe(BigInt(block5.gasUsed).toString(10));
    // Nothing reads a block's header from the bucket (the provers ask the RPC), so none is written.
    expect(await standIns.blobs.exists('blocks/5.json')).toBe(false);
    expect((await standIns.store.get(WATCHER_CURSOR_ID))?.data).toEqual({
      position: '8',
      hash: messages[7]?.payload.hash,
    });
    expect(metrics.points.filter((p) => p.name === METRIC.enqueuedHead).map((p) => p.value)).toEqual([
      5, 8, 8,
    ]);
    expect(metrics.points.filter((p) => p.name === METRIC.l2Head).map((p) => p.value)).toEqual([8, 8, 8]);
  });

  it('stops at a parent-hash mismatch, enqueues nothing and reports the reorg', async () => {
    // Prepare: the cursor claims a different block 8 than the chain has
    const cursor = (await standIns.store.get(WATCHER_CURSOR_ID))!;
    await standIns.store.replace(
      { ...cursor, data: { position: '8', hash: `0x${'ee'.repeat(32)}` } },
      cursor.version,
    );
    await rpc('anvil_mine', ['0x3']);

    // Act
    const result = await watcher(schedule, lambdaContext('watcher'));

    // Assess
    expect(result).toEqual({ head: '11', enqueuedHead: '8', enqueued: 0, reorgAt: '9', groups: 0 });
    expect(enqueued()).toEqual([]);
    expect(await standIns.blobs.exists('blocks/9.json')).toBe(false);
    expect(logger.entries.find((e) => e.level === 'error')?.message).toMatch(/reorg detected/);
    expect(metrics.points.some((p) => p.name === METRIC.reorgsDetected)).toBe(true);
    // Finality finalized: the watcher paused itself with the reason; a person resumes it.
    const halt = await readPause(standIns.store, { kind: 'watcher' });
    expect(halt).toMatchObject({
      setter: 'pipeline',
      reason: expect.stringMatching(/^l2-finalized-block-changed/),
    });
    await clearPause(standIns.store, { kind: 'watcher' });
  });

  it('refuses a corrupt cursor, naming the item and the field', async () => {
    // Prepare
    const { store } = runtime.orchestrator();
    const cursor = (await store.get(WATCHER_CURSOR_ID))!;
    await store.replace({ ...cursor, data: { ...cursor.data, position: 'eight' } }, cursor.version);
    // Act
    const run = watcher(schedule, lambdaContext('watcher'));
    // Assess
    await expect(run).rejects.toThrow(/watcher cursor cursor\/watcher: data\.position/);
  });
});
