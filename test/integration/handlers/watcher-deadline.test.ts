import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { lambdaContext } from '../../../devnet/stand-ins/lambda-context.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { createWatcherHandler } from '../../../lambdas/handlers/watcher.js';
import { WATCHER_CURSOR_ID } from '../../../lambdas/watcher/watch-l2-blocks.js';
import { type HandlerStandIns, startHandlerStandIns } from '../../support/aws-stand-ins/handler-stand-ins.js';
import { scheduledEvent } from '../../support/aws-stand-ins/scheduled-event.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';
import { type FaultyRpcProxy, startFaultyRpcProxy } from '../../support/chains/faulty-rpc-proxy.js';

const schedule = scheduledEvent('watcher-schedule');

/** Blocks on the L2 beyond genesis: more than a slow run reads before its Lambda timeout. */
const BLOCKS = 60;
/** The Lambda timeout of the slow run, and the delay the proxy adds to every RPC answer. */
const TIMEOUT_SECONDS = 4;
const RPC_DELAY_MS = 100;

describe('watcher handler behind a slow L2 RPC', () => {
  const logger = new MemoryLogger();
  let anvil: AnvilInstance;
  let proxy: FaultyRpcProxy;
  let standIns: HandlerStandIns;
  let watcher: ReturnType<typeof createWatcherHandler>;

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 901, slotsInAnEpoch: 1 });
    proxy = await startFaultyRpcProxy(anvil.rpcUrl);
    const config = testPipelineConfig('watcher-deadline-test', proxy.url);
    config.watcher = { ...config.watcher, maxBlocksPerRun: 300, rpcRequestsPerSecond: 1000 };
    config.chains.l2 = { ...config.chains.l2, rpcTimeoutMs: 500 };
    standIns = await startHandlerStandIns(config, ['blocks', 'range-proofs', 'aggregate-proofs']);
    const runtime = buildRuntime(standIns.env, { logger, metrics: new MemoryMetrics() });
    // These runs are back to back: no block hold (BlockHold), each sends what it reads.
    watcher = createWatcherHandler(() => runtime, { holdBlocks: false });
    // With one slot per epoch, "finalized" trails the head by two blocks.
    await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'anvil_mine',
        params: [`0x${(BLOCKS + 2).toString(16)}`],
      }),
    });
  });

  afterAll(async () => {
    await standIns.close();
    await proxy.close();
    await anvil.stop();
  });

  it('has advanced the cursor when Lambda would have timed the run out, and the next run finishes the catch-up', async () => {
    // Prepare: reading all blocks takes ~6 s at this delay, longer than the 4 s timeout.
    proxy.setDelayMs(RPC_DELAY_MS);

    // Act: look at the cursor the moment Lambda would stop the invocation.
    const slowRun = watcher(schedule, lambdaContext('watcher', TIMEOUT_SECONDS));
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_SECONDS * 1000));
    const atTimeout = await standIns.store.get(WATCHER_CURSOR_ID);
    const slow = await slowRun;
    proxy.setDelayMs(0);
    const next = await watcher(schedule, lambdaContext('watcher'));

    // Assess
    const position = Number(atTimeout?.data.position);
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(BLOCKS);
    expect(slow).toMatchObject({
      head: String(BLOCKS),
      enqueuedHead: String(position),
      stoppedAtDeadline: true,
    });
    expect(next).toMatchObject({
      head: String(BLOCKS),
      enqueuedHead: String(BLOCKS),
      enqueued: BLOCKS - position,
    });
    const ids = standIns.queues
      .receive(standIns.queueName('blocks'), BLOCKS + 10)
      .map((m) => (JSON.parse(m.body) as { id: string }).id);
    expect(ids.sort()).toEqual(Array.from({ length: BLOCKS }, (_, i) => `blocks/${i + 1}`).sort());
  }, 30_000);
});
