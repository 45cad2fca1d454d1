import { createPublicClient, createTestClient, createWalletClient, http, parseGwei } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { reorgChain } from '../../../devnet/chains/reorg-chain.js';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';

describe('reorgChain', () => {
  let l1: AnvilInstance;
  let l2: AnvilInstance;

  beforeAll(async () => {
    [l1, l2] = await Promise.all([
      startAnvil({ chainId: 900 }),
      startAnvil({ chainId: 901, optimism: true, slotsInAnEpoch: 1 }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([l1?.stop(), l2?.stop()]);
  });

  it('replaces the last blocks of an L2 with a branch of other hashes and state roots, same height', async () => {
    // Prepare
    const client = createPublicClient({ transport: http(l2.rpcUrl) });
    await createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).mine({ blocks: 6 });
    const head = await client.getBlock({ blockTag: 'latest' });
    const before = await Promise.all(
      [0n, 1n, 2n, 3n].map((back) => client.getBlock({ blockNumber: head.number - back })),
    );

    // Act
    const reorg = await reorgChain(l2.rpcUrl, 3);

    // Assess
    const after = await Promise.all(
      [0n, 1n, 2n, 3n].map((back) => client.getBlock({ blockNumber: head.number - back })),
    );
    expect(reorg).toEqual({
      depth: 3,
      height: head.number,
      oldHash: head.hash,
      newHash: after[0]?.hash,
      ancestor: head.number - 3n,
    });
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBeGreaterThanOrEqual(head.number);
    for (const index of [0, 1, 2]) {
      expect(after[index]?.hash).not.toBe(before[index]?.hash);
      expect(after[index]?.stateRoot).not.toBe(before[index]?.stateRoot);
    }
    expect(after[3]?.hash).toBe(before[3]?.hash);
  });

  it('drops the transactions of the replaced L1 blocks (anvil does not put them back in the pool)', async () => {
    // Prepare
    const client = createPublicClient({ transport: http(l1.rpcUrl) });
    const sender = createWalletClient({
      account: devAccount(1),
      chain: localChain(900, l1.rpcUrl),
      transport: http(l1.rpcUrl),
    });
    const hash = await sender.sendTransaction({
      to: '0x000000000000000000000000000000000000dEaD',
      value: parseGwei('1'),
    });
    const mined = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await createTestClient({ mode: 'anvil', transport: http(l1.rpcUrl) }).mine({ blocks: 1 });

    // Act
    const reorg = await reorgChain(l1.rpcUrl, 2);
    await createTestClient({ mode: 'anvil', transport: http(l1.rpcUrl) }).mine({ blocks: 2 });

    // Assess
    expect(reorg.ancestor).toBe(mined.blockNumber - 1n);
    expect(reorg.newHash).not.toBe(reorg.oldHash);
    await expect(client.getTransactionReceipt({ hash })).rejects.toThrow(/could not be found/);
    expect(await client.getTransactionCount({ address: devAccount(1).address })).toBe(0);
  });

  it('refuses a depth the chain is not long enough for, naming the depth and the head', async () => {
    // Prepare
    const fresh = await startAnvil({ chainId: 902 });
    try {
      // Act
      const attempt = reorgChain(fresh.rpcUrl, 3);

      // Assess
      await expect(attempt).rejects.toThrow('cannot reorg 3 blocks: the chain is at block 0');
      await expect(reorgChain(fresh.rpcUrl, 0)).rejects.toThrow('reorg depth must be an integer ≥ 1, got 0');
    } finally {
      await fresh.stop();
    }
  });
});
