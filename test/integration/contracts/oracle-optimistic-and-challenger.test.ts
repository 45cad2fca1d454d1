import { createTestClient, http, parseEventLogs } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  abi,
  checkpointL1Head,
  clients,
  nextProposal,
  owner,
  proposer,
  revertOf,
  simulatePropose,
  stranger,
  useOracleChains,
} from './oracle-proposals-fixture.js';

describe('OPSuccinctL2OutputOracle v3: optimistic proposals, the challenger and the fallback timeout', () => {
  const chains = useOracleChains();

  it('in optimistic mode takes the 4-argument proposal of exactly the next block, checking the L1 block hash', async () => {
    // Prepare
    const c = chains();
    const { l1, wallet } = clients(c);
    const oracle = { address: c.oracleAddress, abi } as const;
    const enable = await wallet(owner).writeContract({
      ...oracle,
      functionName: 'enableOptimisticMode',
      args: [3600n],
    });
    await l1.waitForTransactionReceipt({ hash: enable, pollingInterval: 50 });
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    // The parent of the head: a call at 'latest' runs in the head's own block, whose hash is not yet known
    const l1Head = await l1.getBlock({ blockNumber: (await l1.getBlockNumber({ cacheTime: 0 })) - 1n });
    const optimistic = (
      from: typeof proposer,
      args: { l2BlockNumber?: bigint; l1BlockHash?: `0x${string}` } = {},
    ) =>
      l1.simulateContract({
        ...oracle,
        account: from,
        functionName: 'proposeL2Output',
        args: [
          outputRoot,
          args.l2BlockNumber ?? l2BlockNumber,
          args.l1BlockHash ?? l1Head.hash,
          l1Head.number,
        ],
      });

    // Act
    const cases = {
      validity: await revertOf(
        simulatePropose(c, proposer, { outputRoot, l2BlockNumber, l1BlockNumber: 0n }),
      ),
      stranger: await revertOf(optimistic(stranger)),
      beyondNext: await revertOf(optimistic(proposer, { l2BlockNumber: l2BlockNumber + 1n })),
      wrongHash: await revertOf(optimistic(proposer, { l1BlockHash: `0x${'12'.repeat(32)}` })),
    };
    const { request } = await optimistic(proposer);
    const hash = await wallet(proposer).writeContract(request);
    const receipt = await l1.waitForTransactionReceipt({ hash, pollingInterval: 50 });

    // Assess
    expect(cases.validity?.reason).toBe('L2OutputOracle: optimistic mode is enabled');
    expect(cases.stranger?.reason).toBe('L2OutputOracle: only approved proposers can propose new outputs');
    expect(cases.beyondNext?.reason).toBe(
      'L2OutputOracle: block number must be equal to next expected block number',
    );
    expect(cases.wrongHash?.reason).toBe(
      'L2OutputOracle: block hash does not match the hash at the expected height',
    );
    expect(receipt.status).toBe('success');
    expect(parseEventLogs({ abi, logs: receipt.logs, eventName: 'OutputProposed' })[0]?.args).toMatchObject({
      outputRoot,
      l2OutputIndex: 1n,
      l2BlockNumber,
    });
  });

  it('lets only the challenger delete unfinalized outputs, never the starting one', async () => {
    // Prepare: output 1 was stored by the previous test, within the 3600 s finalization period
    const c = chains();
    const { l1, wallet } = clients(c);
    const oracle = { address: c.oracleAddress, abi } as const;
    const remove = (from: typeof owner, index: bigint) =>
      l1.simulateContract({ ...oracle, account: from, functionName: 'deleteL2Outputs', args: [index] });

    // Act
    const cases = {
      stranger: await revertOf(remove(stranger, 1n)),
      genesis: await revertOf(remove(owner, 0n)),
      pastLatest: await revertOf(remove(owner, 2n)),
    };
    const hash = await wallet(owner).writeContract({
      ...oracle,
      functionName: 'deleteL2Outputs',
      args: [1n],
    });
    const receipt = await l1.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const disable = await wallet(owner).writeContract({
      ...oracle,
      functionName: 'disableOptimisticMode',
      args: [0n],
    });
    await l1.waitForTransactionReceipt({ hash: disable, pollingInterval: 50 });

    // Assess
    expect(cases.stranger?.reason).toBe('L2OutputOracle: only the challenger address can delete outputs');
    expect(cases.genesis?.reason).toBe('L2OutputOracle: cannot delete genesis output');
    expect(cases.pastLatest?.reason).toBe(
      'L2OutputOracle: cannot delete outputs after the latest output index',
    );
    expect(parseEventLogs({ abi, logs: receipt.logs, eventName: 'OutputsDeleted' })[0]?.args).toEqual({
      prevNextOutputIndex: 2n,
      newNextOutputIndex: 1n,
    });
    expect(await l1.readContract({ ...oracle, functionName: 'latestOutputIndex' })).toBe(0n);
    expect(await l1.readContract({ ...oracle, functionName: 'latestBlockNumber' })).toBe(
      c.startingBlock.blockNumber,
    );
  });

  it('lets anyone propose once fallbackTimeout seconds have passed without a proposal', async () => {
    // Prepare
    const c = chains();
    const { l1 } = clients(c);
    const timeout = await l1.readContract({ address: c.oracleAddress, abi, functionName: 'fallbackTimeout' });
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    const before = await revertOf(
      simulatePropose(c, stranger, { outputRoot, l2BlockNumber, l1BlockNumber: await checkpointL1Head(c) }),
    );
    await createTestClient({ mode: 'anvil', transport: http(c.l1.rpcUrl) }).increaseTime({
      seconds: Number(timeout) + 1,
    });

    // Act
    const after = await revertOf(
      simulatePropose(c, stranger, { outputRoot, l2BlockNumber, l1BlockNumber: await checkpointL1Head(c) }),
    );

    // Assess
    expect(before?.reason).toBe('L2OutputOracle: only approved proposers can propose new outputs');
    expect(after).toBeUndefined();
  });
});
