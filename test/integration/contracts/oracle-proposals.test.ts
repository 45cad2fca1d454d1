import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeAbiParameters,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sp1MockVerifierAbi } from '../../../lambdas/chain/abi/SP1MockVerifier.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';

const abi = opSuccinctL2OutputOracleAbi;
const genesisConfigName = keccak256(toHex('opsuccinct_genesis'));
const proposer = devAccount(devAccountRoles.proposer);
const owner = devAccount(devAccountRoles.deployer);
const stranger = devAccount(devAccountRoles.spareSigner);

interface Revert {
  readonly reason: string | undefined;
  readonly errorName: string | undefined;
}

/** The decoded revert of a simulated call, or undefined when the call succeeds. */
async function revertOf(call: Promise<unknown>): Promise<Revert | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (!(reverted instanceof ContractFunctionRevertedError)) throw error;
    return { reason: reverted.reason, errorName: reverted.data?.errorName };
  }
}

function clients(chains: DevChains) {
  const l1Chain = localChain(chains.l1.chainId, chains.l1.rpcUrl);
  const l1 = createPublicClient({ chain: l1Chain, transport: http(chains.l1.rpcUrl) });
  const l2 = createPublicClient({ transport: http(chains.l2.rpcUrl) });
  const l2Test = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) });
  const wallet = (account: typeof proposer) =>
    createWalletClient({ account, chain: l1Chain, transport: http(chains.l1.rpcUrl) });
  return { l1, l2, l2Test, wallet };
}

/** Checkpoints the current L1 head and returns its number. */
async function checkpointL1Head(chains: DevChains): Promise<bigint> {
  const { l1, wallet } = clients(chains);
  const l1BlockNumber = await l1.getBlockNumber({ cacheTime: 0 });
  const hash = await wallet(proposer).writeContract({
    address: chains.oracleAddress,
    abi,
    functionName: 'checkpointBlockHash',
    args: [l1BlockNumber],
  });
  expect((await l1.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status).toBe('success');
  return l1BlockNumber;
}

/** Mines L2 up to the oracle's next block number and returns that block's output root. */
async function nextProposal(chains: DevChains): Promise<{ l2BlockNumber: bigint; outputRoot: Hex }> {
  const { l1, l2, l2Test } = clients(chains);
  const l2BlockNumber = await l1.readContract({
    address: chains.oracleAddress,
    abi,
    functionName: 'nextBlockNumber',
  });
  const head = await l2.getBlockNumber({ cacheTime: 0 });
  if (head < l2BlockNumber) await l2Test.mine({ blocks: Number(l2BlockNumber - head) });
  const { outputRoot } = await computeOutputRoot(l2, l2BlockNumber);
  return { l2BlockNumber, outputRoot };
}

function simulatePropose(
  chains: DevChains,
  from: typeof proposer,
  args: {
    configName?: Hex;
    outputRoot: Hex;
    l2BlockNumber: bigint;
    l1BlockNumber: bigint;
    proof?: Hex;
    proverAddress?: Address;
  },
) {
  return clients(chains).l1.simulateContract({
    account: from,
    address: chains.oracleAddress,
    abi,
    functionName: 'proposeL2Output',
    args: [
      args.configName ?? genesisConfigName,
      args.outputRoot,
      args.l2BlockNumber,
      args.l1BlockNumber,
      args.proof ?? '0x',
      args.proverAddress ?? proposer.address,
    ],
  });
}

describe('OPSuccinctL2OutputOracle with the SP1 mock verifier', () => {
  const chains = useDevChains({ submissionInterval: 5 });

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

  it('rejects each invalid proposal with a decodable reason', async () => {
    // Prepare
    const c = chains();
    const l1BlockNumber = await checkpointL1Head(c);
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    const valid = { outputRoot, l2BlockNumber, l1BlockNumber };

    // Act
    const cases = {
      unapprovedProposer: await revertOf(simulatePropose(c, stranger, valid)),
      nonEmptyProof: await revertOf(simulatePropose(c, proposer, { ...valid, proof: '0x01' })),
      tooEarly: await revertOf(simulatePropose(c, proposer, { ...valid, l2BlockNumber: l2BlockNumber - 1n })),
      zeroRoot: await revertOf(
        simulatePropose(c, proposer, { ...valid, outputRoot: `0x${'00'.repeat(32)}` }),
      ),
      notCheckpointed: await revertOf(
        simulatePropose(c, proposer, { ...valid, l1BlockNumber: l1BlockNumber - 1n }),
      ),
      unknownConfig: await revertOf(
        simulatePropose(c, proposer, { ...valid, configName: keccak256(toHex('no such config')) }),
      ),
      valid: await revertOf(simulatePropose(c, proposer, valid)),
    };

    // Assess
    expect(cases.unapprovedProposer?.reason).toBe(
      'L2OutputOracle: only approved proposers can propose new outputs',
    );
    expect(cases.nonEmptyProof?.reason).toBe('SP1MockVerifier: proof bytes must be empty');
    expect(cases.tooEarly?.reason).toBe(
      'L2OutputOracle: block number must be greater than or equal to next expected block number',
    );
    expect(cases.zeroRoot?.reason).toBe('L2OutputOracle: L2 output proposal cannot be the zero hash');
    expect(cases.notCheckpointed?.errorName).toBe('L1BlockHashNotCheckpointed');
    expect(cases.unknownConfig?.reason).toBe('L2OutputOracle: invalid OP Succinct configuration');
    expect(cases.valid).toBeUndefined();
  });

  it('hands the verifier AggregationOutputs whose l2PreRoot is the latest stored output root', async () => {
    // Prepare
    const c = chains();
    const { l1 } = clients(c);
    const l1BlockNumber = await checkpointL1Head(c);
    const l1Head = await l1.readContract({
      address: c.oracleAddress,
      abi,
      functionName: 'historicBlockHashes',
      args: [l1BlockNumber],
    });
    const { l2BlockNumber, outputRoot } = await nextProposal(c);
    const { request } = await simulatePropose(c, proposer, { outputRoot, l2BlockNumber, l1BlockNumber });
    const data = encodeFunctionData({ abi, functionName: 'proposeL2Output', args: request.args });

    // Act
    const trace = await l1.request({
      method: 'debug_traceCall' as 'eth_call',
      params: [
        { from: proposer.address, to: c.oracleAddress, data },
        'latest',
        { tracer: 'callTracer' },
      ] as never,
    });
    const calls = (trace as unknown as { calls?: { to: string; input: Hex }[] }).calls ?? [];
    const verifierCall = calls.find((call) => call.to.toLowerCase() === c.verifierAddress.toLowerCase());
    const { args } = decodeFunctionData({ abi: sp1MockVerifierAbi, data: verifierCall?.input ?? '0x' });
    const [vkey, publicValues, proof] = args;
    const [outputs] = decodeAbiParameters(
      [
        {
          type: 'tuple',
          components: [
            { name: 'l1Head', type: 'bytes32' },
            { name: 'l2PreRoot', type: 'bytes32' },
            { name: 'claimRoot', type: 'bytes32' },
            { name: 'claimBlockNum', type: 'uint256' },
            { name: 'rollupConfigHash', type: 'bytes32' },
            { name: 'rangeVkeyCommitment', type: 'bytes32' },
            { name: 'proverAddress', type: 'address' },
          ],
        },
      ],
      publicValues,
    );

    // Assess
    expect(vkey).toBe(testProgramKeys.aggregationVkey);
    expect(proof).toBe('0x');
    expect(publicValues.length).toBe(2 + 7 * 64);
    expect(outputs).toEqual({
      l1Head,
      l2PreRoot: c.startingBlock.outputRoot,
      claimRoot: outputRoot,
      claimBlockNum: l2BlockNumber,
      rollupConfigHash: testProgramKeys.rollupConfigHash,
      rangeVkeyCommitment: testProgramKeys.rangeVkeyCommitment,
      proverAddress: proposer.address,
    });
  });

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

  it('checkpoints only available L1 block hashes', async () => {
    // Prepare
    const c = chains();
    const { l1 } = clients(c);
    const head = await l1.getBlockNumber({ cacheTime: 0 });
    const headBlock = await l1.getBlock({ blockNumber: head });

    // Act
    const checkpointed = await checkpointL1Head(c);
    const stored = await l1.readContract({
      address: c.oracleAddress,
      abi,
      functionName: 'historicBlockHashes',
      args: [checkpointed],
    });
    const future = await revertOf(
      l1.simulateContract({
        account: proposer,
        address: c.oracleAddress,
        abi,
        functionName: 'checkpointBlockHash',
        args: [head + 100n],
      }),
    );

    // Assess
    expect(checkpointed).toBe(head);
    expect(stored).toBe(headBlock.hash);
    expect(future?.errorName).toBe('L1BlockHashNotAvailable');
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
