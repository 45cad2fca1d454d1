import { createPublicClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { startDevChains } from '../../../devnet/chains/start-dev-chains.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { messagePasserAddress } from '../../../lambdas/chain/l2-state/message-passer.js';
import { waitForProcessGone } from '../../support/chains/process-liveness.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { withDevChains } from '../../support/chains/with-dev-chains.js';

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('startDevChains', () => {
  it('runs L1 + L2 with the oracle at the seeded start block and L2 traffic that moves the message passer root', async () => {
    // Prepare
    const chains = await startDevChains({ ...testProgramKeys, submissionInterval: 3 });
    try {
      const l1 = createPublicClient({ transport: http(chains.l1.rpcUrl) });
      const l2 = createPublicClient({ transport: http(chains.l2.rpcUrl) });

      // Act
      await until(() => (chains.traffic?.counts().withdrawals ?? 0) >= 2, 'two withdrawals');
      const head = await l2.getBlockNumber({ cacheTime: 0 });
      const later = await computeOutputRoot(l2, head);
      const stored = await l1.readContract({
        address: chains.oracleAddress,
        abi: opSuccinctL2OutputOracleAbi,
        functionName: 'getL2Output',
        args: [0n],
      });
      const startAgain = await computeOutputRoot(l2, chains.startingBlock.blockNumber);

      // Assess
      expect([chains.l1.chainId, chains.l2.chainId]).toEqual([900, 901]);
      expect(chains.messagePasser).toBe(messagePasserAddress);
      expect(await l2.getCode({ address: messagePasserAddress })).toMatch(/^0x[0-9a-f]{200,}$/);
      expect(stored.outputRoot).toBe(chains.startingBlock.outputRoot);
      expect(startAgain).toEqual(chains.startingBlock);
      expect(later.messagePasserStorageRoot).not.toBe(chains.startingBlock.messagePasserStorageRoot);
      expect(chains.traffic?.counts().transfers).toBeGreaterThanOrEqual(2);
    } finally {
      await chains.stop();
    }

    // Assess: both nodes are gone
    expect(await waitForProcessGone(chains.l1.pid)).toBe(true);
    expect(await waitForProcessGone(chains.l2.pid)).toBe(true);
  });

  it('deploys the oracle on an interval-mined L1 without waiting for its blocks', async () => {
    // Prepare: an L1 block an hour, so only the blocks the deployment mines itself can hold it.
    const chains = await startDevChains({
      ...testProgramKeys,
      submissionInterval: 3,
      l1BlockTimeSeconds: 3_600,
      traffic: false,
    });
    try {
      const l1 = createPublicClient({ transport: http(chains.l1.rpcUrl) });

      // Act
      const stored = await l1.readContract({
        address: chains.oracleAddress,
        abi: opSuccinctL2OutputOracleAbi,
        functionName: 'getL2Output',
        args: [0n],
      });

      // Assess: verifier, implementation and proxy, one block each
      expect(stored.outputRoot).toBe(chains.startingBlock.outputRoot);
      expect(await l1.getCode({ address: chains.verifierAddress })).toMatch(/^0x[0-9a-f]+$/);
      expect(await l1.getBlockNumber({ cacheTime: 0 })).toBe(3n);
    } finally {
      await chains.stop();
    }
  }, 20_000);

  it('withDevChains stops the chains when the body throws', async () => {
    // Prepare
    let pids: number[] = [];

    // Act
    const run = withDevChains({}, async (chains) => {
      pids = [chains.l1.pid, chains.l2.pid];
      throw new Error('body failed');
    });

    // Assess
    await expect(run).rejects.toThrow('body failed');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await waitForProcessGone(pid)).toBe(true);
  });
});
