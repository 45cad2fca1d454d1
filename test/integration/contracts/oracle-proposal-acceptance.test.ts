import { parseEventLogs } from 'viem';
import { describe, expect, it } from 'vitest';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import {
  abi,
  checkpointL1Head,
  clients,
  genesisConfigName,
  nextProposal,
  proposer,
  revertOf,
  simulatePropose,
  useOracleChains,
} from './oracle-proposals-fixture.js';

describe('OPSuccinctL2OutputOracle with the SP1 mock verifier', () => {
  const chains = useOracleChains();

  it('accepts a valid proposal in a real transaction and stores the L2 output root', async () => {
    // Prepare
    const c = chains();
    const { l1, wallet } = clients(c);
    const l1BlockNumber = await checkpointL1Head(c);
    const { l2BlockNumber, outputRoot } = await nextProposal(c);

    // Act
    const hash = await wallet(proposer).writeContract({
      address: c.oracleAddress,
      abi,
      functionName: 'proposeL2Output',
      args: [genesisConfigName, outputRoot, l2BlockNumber, l1BlockNumber, '0x', proposer.address],
    });
    const receipt = await l1.waitForTransactionReceipt({ hash, pollingInterval: 50 });

    // Assess
    expect(receipt.status).toBe('success');
    const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: 'OutputProposed' });
    expect(event?.args).toMatchObject({ outputRoot, l2OutputIndex: 1n, l2BlockNumber });
    const stored = await l1.readContract({
      address: c.oracleAddress,
      abi,
      functionName: 'getL2Output',
      args: [1n],
    });
    expect(stored.outputRoot).toBe(outputRoot);
    expect(stored.l2BlockNumber).toBe(l2BlockNumber);
    expect(await l1.readContract({ address: c.oracleAddress, abi, functionName: 'latestBlockNumber' })).toBe(
      l2BlockNumber,
    );
    expect(await l1.readContract({ address: c.oracleAddress, abi, functionName: 'latestOutputIndex' })).toBe(
      1n,
    );
    expect(
      await l1.readContract({
        address: c.oracleAddress,
        abi,
        functionName: 'getL2OutputIndexAfter',
        args: [c.startingBlock.blockNumber + 1n],
      }),
    ).toBe(1n);
  });

  it('chains the next proposal onto the stored one and refuses to repeat a block', async () => {
    // Prepare
    const c = chains();
    const { l1 } = clients(c);
    const l1BlockNumber = await checkpointL1Head(c);
    const latest = await l1.readContract({
      address: c.oracleAddress,
      abi,
      functionName: 'latestBlockNumber',
    });
    const { outputRoot: latestRoot } = await computeOutputRoot(clients(c).l2, latest);

    // Act
    const repeat = await revertOf(
      simulatePropose(c, proposer, { outputRoot: latestRoot, l2BlockNumber: latest, l1BlockNumber }),
    );
    const next = await nextProposal(c);
    const accepted = await revertOf(simulatePropose(c, proposer, { ...next, l1BlockNumber }));

    // Assess
    expect(repeat?.reason).toBe(
      'L2OutputOracle: block number must be greater than or equal to next expected block number',
    );
    expect(next.l2BlockNumber).toBe(latest + 5n);
    expect(accepted).toBeUndefined();
  });
});
