import {
  type Address,
  createTestClient,
  getAddress,
  type Hex,
  http,
  parseEventLogs,
  zeroAddress,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import {
  abi,
  checkpointL1Head,
  clients,
  genesisConfigName,
  nextProposal,
  owner,
  proposer,
  revertOf,
  simulatePropose,
  stranger,
  useOracleChains,
} from './oracle-proposals-fixture.js';

/** `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`. */
const implementationSlot = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc';

const initParams = (verifier: Address) => ({
  challenger: owner.address,
  proposer: proposer.address,
  owner: owner.address,
  finalizationPeriodSeconds: 0n,
  l2BlockTime: 1n,
  ...testProgramKeys,
  startingOutputRoot: `0x${'11'.repeat(32)}` as const,
  startingBlockNumber: 0n,
  startingTimestamp: 0n,
  submissionInterval: 5n,
  verifier,
  fallbackTimeout: 1n,
});

describe('OPSuccinctL2OutputOracle v3 deployment and owner calls', () => {
  const chains = useOracleChains();

  it('sits behind a proxy as upstream v3.0.0 does; neither the proxy nor the implementation can be initialized again', async () => {
    // Prepare
    const c = chains();
    const { l1 } = clients(c);
    const slot = await l1.getStorageAt({ address: c.oracleAddress, slot: implementationSlot });
    const implementation = getAddress(`0x${(slot ?? '0x').slice(-40)}`);
    const initialize = (address: Address) =>
      l1.simulateContract({
        account: owner,
        address,
        abi,
        functionName: 'initialize',
        args: [initParams(c.verifierAddress)],
      });

    // Act
    const version = await l1.readContract({ address: c.oracleAddress, abi, functionName: 'version' });
    const again = await revertOf(initialize(c.oracleAddress));
    const implementationInit = await revertOf(initialize(implementation));
    const implementationVersion = await l1.readContract({
      address: implementation,
      abi,
      functionName: 'version',
    });
    const read = <F extends 'fallbackTimeout' | 'disputeGameFactory' | 'challenger' | 'verifier'>(
      functionName: F,
    ) => l1.readContract({ address: c.oracleAddress, abi, functionName });

    // Assess
    expect(version).toBe('v3.0.0');
    expect(implementationVersion).toBe('v3.0.0');
    expect((await l1.getCode({ address: implementation }))?.length).toBeGreaterThan(2);
    expect(implementation).not.toBe(getAddress(c.oracleAddress));
    expect(again?.reason).toBe('Initializable: contract is already initialized');
    expect(implementationInit?.reason).toBe('Initializable: contract is already initialized');
    expect(await read('fallbackTimeout')).toBe(1_209_600n);
    expect(await read('disputeGameFactory')).toBe(zeroAddress);
    expect(await read('challenger')).toBe(owner.address);
    expect(await read('verifier')).toBe(getAddress(c.verifierAddress));
  });

  it('lets only the owner update the verifier and the submission interval, with their events', async () => {
    // Prepare
    const c = chains();
    const { l1, wallet } = clients(c);
    const oracle = { address: c.oracleAddress, abi } as const;
    const replacement = '0x000000000000000000000000000000000000dead';

    // Act
    const strangerVerifier = await revertOf(
      l1.simulateContract({
        ...oracle,
        account: stranger,
        functionName: 'updateVerifier',
        args: [replacement],
      }),
    );
    const zeroInterval = await revertOf(
      l1.simulateContract({
        ...oracle,
        account: owner,
        functionName: 'updateSubmissionInterval',
        args: [0n],
      }),
    );
    const receipts = [];
    for (const hash of [
      await wallet(owner).writeContract({ ...oracle, functionName: 'updateVerifier', args: [replacement] }),
      await wallet(owner).writeContract({
        ...oracle,
        functionName: 'updateVerifier',
        args: [c.verifierAddress],
      }),
      await wallet(owner).writeContract({ ...oracle, functionName: 'updateSubmissionInterval', args: [7n] }),
      await wallet(owner).writeContract({ ...oracle, functionName: 'updateSubmissionInterval', args: [5n] }),
    ]) {
      receipts.push(await l1.waitForTransactionReceipt({ hash, pollingInterval: 50 }));
    }
    const events = parseEventLogs({ abi, logs: receipts.flatMap((r) => r.logs) });

    // Assess
    expect(strangerVerifier?.reason).toBe('L2OutputOracle: caller is not the owner');
    expect(zeroInterval?.reason).toBe('L2OutputOracle: submission interval must be greater than 0');
    expect(events.map((e) => [e.eventName, e.args])).toEqual([
      [
        'VerifierUpdated',
        { oldVerifier: getAddress(c.verifierAddress), newVerifier: getAddress(replacement) },
      ],
      [
        'VerifierUpdated',
        { oldVerifier: getAddress(replacement), newVerifier: getAddress(c.verifierAddress) },
      ],
      ['SubmissionIntervalUpdated', { oldSubmissionInterval: 5n, newSubmissionInterval: 7n }],
      ['SubmissionIntervalUpdated', { oldSubmissionInterval: 7n, newSubmissionInterval: 5n }],
    ]);
  });

  it('refuses direct proposals while a dispute-game factory is set, and dgfProposeL2Output without one', async () => {
    // Prepare
    const c = chains();
    const { l1, wallet } = clients(c);
    const oracle = { address: c.oracleAddress, abi } as const;
    const l1BlockNumber = await checkpointL1Head(c);
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    const dgfArgs = [
      `0x${'00'.repeat(31)}01`,
      outputRoot,
      l2BlockNumber,
      l1BlockNumber,
      '0x',
      proposer.address,
    ] as const;
    const noFactory = await revertOf(
      l1.simulateContract({
        ...oracle,
        account: proposer,
        functionName: 'dgfProposeL2Output',
        args: dgfArgs,
      }),
    );
    const factory = '0x000000000000000000000000000000000000fac7';
    const set = await wallet(owner).writeContract({
      ...oracle,
      functionName: 'setDisputeGameFactory',
      args: [factory],
    });
    const setReceipt = await l1.waitForTransactionReceipt({ hash: set, pollingInterval: 50 });

    // Act
    const direct = await revertOf(simulatePropose(c, proposer, { outputRoot, l2BlockNumber, l1BlockNumber }));
    const stored = await l1.readContract({ ...oracle, functionName: 'disputeGameFactory' });
    const clear = await wallet(owner).writeContract({
      ...oracle,
      functionName: 'setDisputeGameFactory',
      args: [zeroAddress],
    });
    await l1.waitForTransactionReceipt({ hash: clear, pollingInterval: 50 });
    const afterClear = await revertOf(
      simulatePropose(c, proposer, { outputRoot, l2BlockNumber, l1BlockNumber }),
    );

    // Assess
    expect(noFactory?.reason).toBe('L2OutputOracle: dispute game factory is not set');
    expect(
      parseEventLogs({ abi, logs: setReceipt.logs, eventName: 'DisputeGameFactorySet' })[0]?.args,
    ).toEqual({
      disputeGameFactory: getAddress(factory),
    });
    expect(stored).toBe(getAddress(factory));
    expect(direct?.reason).toBe(
      'L2OutputOracle: cannot propose L2 output from outside DisputeGameFactory.create while disputeGameFactory is set',
    );
    expect(afterClear).toBeUndefined();
  });

  it('checks the proposer on tx.origin, as upstream: a relay contract sending for an approved proposer is accepted', async () => {
    // Prepare: a relay whose code forwards its calldata to the oracle and hands back the answer
    const c = chains();
    const { l1 } = clients(c);
    const relay = '0x00000000000000000000000000000000000e1a70';
    await createTestClient({ mode: 'anvil', transport: http(c.l1.rpcUrl) }).setCode({
      address: relay,
      bytecode: relayCode(c.oracleAddress),
    });
    const l1BlockNumber = await checkpointL1Head(c);
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    const viaRelay = (from: typeof proposer) =>
      l1.simulateContract({
        account: from,
        address: relay,
        abi,
        functionName: 'proposeL2Output',
        args: [genesisConfigName, outputRoot, l2BlockNumber, l1BlockNumber, '0x', proposer.address],
      });

    // Act
    const approved = await revertOf(viaRelay(proposer));
    const unapproved = await revertOf(viaRelay(stranger));

    // Assess
    expect(
      await l1.readContract({
        address: c.oracleAddress,
        abi,
        functionName: 'approvedProposers',
        args: [relay],
      }),
    ).toBe(false);
    expect(approved).toBeUndefined();
    expect(unapproved?.reason).toBe('L2OutputOracle: only approved proposers can propose new outputs');
  });
});

/**
 * Runtime code of a relay: CALLDATACOPY, CALL `target` with all gas, RETURNDATACOPY, then RETURN on
 * success or REVERT with the callee's data (the jump target 0x2a is the JUMPDEST before RETURN).
 */
function relayCode(target: Address): Hex {
  return `0x365f5f375f5f365f5f73${target.slice(2).toLowerCase()}5af13d5f5f3e602a573d5ffd5b3d5ff3`;
}
