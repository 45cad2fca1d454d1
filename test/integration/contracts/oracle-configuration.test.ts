import { keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import {
  abi,
  clients,
  genesisConfigName,
  owner,
  proposer,
  revertOf,
  stranger,
  useOracleChains,
} from './oracle-proposals-fixture.js';

describe('OPSuccinctL2OutputOracle with the SP1 mock verifier', () => {
  const chains = useOracleChains();

  it('starts from the seeded L2 block and its output root, with the genesis config', async () => {
    // Prepare
    const { l1 } = clients(chains());
    const read = <
      F extends 'latestBlockNumber' | 'nextBlockNumber' | 'latestOutputIndex' | 'submissionInterval',
    >(
      functionName: F,
    ) => l1.readContract({ address: chains().oracleAddress, abi, functionName });

    // Act
    const output = await l1.readContract({
      address: chains().oracleAddress,
      abi,
      functionName: 'getL2Output',
      args: [0n],
    });
    const config = await l1.readContract({
      address: chains().oracleAddress,
      abi,
      functionName: 'opSuccinctConfigs',
      args: [genesisConfigName],
    });
    const genesisName = await l1.readContract({
      address: chains().oracleAddress,
      abi,
      functionName: 'GENESIS_CONFIG_NAME',
    });

    // Assess
    const start = chains().startingBlock;
    expect(output).toEqual({
      outputRoot: start.outputRoot,
      timestamp: start.timestamp,
      l2BlockNumber: start.blockNumber,
    });
    expect(await read('latestBlockNumber')).toBe(start.blockNumber);
    expect(await read('nextBlockNumber')).toBe(start.blockNumber + 5n);
    expect(await read('latestOutputIndex')).toBe(0n);
    expect(await read('submissionInterval')).toBe(5n);
    expect(genesisName).toBe(genesisConfigName);
    expect(config).toEqual([
      testProgramKeys.aggregationVkey,
      testProgramKeys.rangeVkeyCommitment,
      testProgramKeys.rollupConfigHash,
    ]);
    expect(
      await l1.readContract({
        address: chains().oracleAddress,
        abi,
        functionName: 'approvedProposers',
        args: [proposer.address],
      }),
    ).toBe(true);
  });

  it('lets only the owner manage proposers and configs', async () => {
    // Prepare
    const c = chains();
    const { l1, wallet } = clients(c);
    const configName = keccak256(toHex('second config'));
    const configArgs = [
      configName,
      keccak256(toHex('rc2')),
      keccak256(toHex('agg2')),
      keccak256(toHex('range2')),
    ] as const;

    // Act
    const byStranger = await revertOf(
      l1.simulateContract({
        account: stranger,
        address: c.oracleAddress,
        abi,
        functionName: 'addProposer',
        args: [stranger.address],
      }),
    );
    const added = await wallet(owner).writeContract({
      address: c.oracleAddress,
      abi,
      functionName: 'addOpSuccinctConfig',
      args: configArgs,
    });
    await l1.waitForTransactionReceipt({ hash: added, pollingInterval: 50 });
    const duplicate = await revertOf(
      l1.simulateContract({
        account: owner,
        address: c.oracleAddress,
        abi,
        functionName: 'addOpSuccinctConfig',
        args: configArgs,
      }),
    );
    const config = await l1.readContract({
      address: c.oracleAddress,
      abi,
      functionName: 'opSuccinctConfigs',
      args: [configName],
    });

    // Assess
    expect(byStranger?.reason).toBe('L2OutputOracle: caller is not the owner');
    expect(duplicate?.reason).toBe('L2OutputOracle: config already exists');
    expect(config).toEqual([configArgs[2], configArgs[3], configArgs[1]]);
  });
});
