import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../devnet/chains/start-anvil.js';
import type { Envelope } from '../../lambdas/core/messages/envelope.js';
import { viemL2BlockSource } from '../../lambdas/watcher/l2-block-source.js';
import { RpcRateLimiter } from '../../lambdas/watcher/rpc-rate-limiter.js';
import { RewindRig } from '../unit/core/orchestrator/rewind/l2-rewind-fixture.js';

const SENDER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const RECEIVER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('L2 rewind against anvil (anvil_reorg, finality safe)', () => {
  let anvil: AnvilInstance;

  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  const hashAt = async (n: number) =>
    ((await rpc('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])) as { hash: string }).hash;

  beforeAll(async () => {
    // Safe = latest - 1 (one slot per epoch), the finality the rewind applies to.
    anvil = await startAnvil({ chainId: 901, slotsInAnEpoch: 1 });
    await rpc('anvil_mine', ['0xa']);
  });

  afterAll(async () => {
    await anvil.stop();
  });

  it('rewinds to the common ancestor and re-enqueues the canonical blocks with their new hashes', async () => {
    // Prepare: blocks 1…9 (safe head) enqueued and recorded; then the last 3 blocks are replaced by
    // blocks carrying a transfer (different transactions, so different hashes) and 2 more are mined.
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const rig = new RewindRig(viemL2BlockSource(client, new RpcRateLimiter(1000)));
    expect(await rig.watch()).toMatchObject({ head: 9n, enqueuedHead: 9n });
    await rig.deliver();
    const before = await Promise.all([8, 9].map(hashAt));
    await rpc('anvil_reorg', [3, [[{ from: SENDER, to: RECEIVER, value: '0x1' }, 0]]]);
    await rpc('anvil_mine', ['0x2']);
    const after = await Promise.all([8, 9, 10, 11].map(hashAt));
    expect(after.slice(0, 2)).not.toEqual(before);

    // Act
    const detected = await rig.watch();
    const next = await rig.watch();
    await rig.deliver();

    // Assess
    expect(detected).toMatchObject({ reorgAt: 10n, rewind: { kind: 'rewound', ancestor: 7n, depth: 2n } });
    expect(next).toMatchObject({ head: 11n, enqueuedHead: 11n, enqueued: 4 });
    for (const [i, n] of [8, 9, 10, 11].entries()) {
      const item = (await rig.t.store.get(`blocks/${n}`))!;
      const envelope = item.data.envelope as Envelope;
      expect(item.status).not.toBe('invalidated');
      expect((envelope.payload as { hash: string }).hash).toBe(after[i]);
      expect(envelope.attempt).toBe(1);
    }
  });
});
