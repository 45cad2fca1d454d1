import {
  decodeAbiParameters,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  keccak256,
  toHex,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { L1_CLOCK_LEAD_SECONDS } from '../../../devnet/chains/start-dev-chains.js';
import { sp1MockVerifierAbi } from '../../../lambdas/chain/abi/SP1MockVerifier.generated.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import {
  abi,
  checkpointL1Head,
  clients,
  nextProposal,
  proposer,
  revertOf,
  simulatePropose,
  stranger,
  useOracleChains,
} from './oracle-proposals-fixture.js';

/** One frame of a `callTracer` trace. */
interface TraceFrame {
  readonly to: string;
  readonly input: Hex;
  readonly calls?: readonly TraceFrame[];
}

describe('OPSuccinctL2OutputOracle with the SP1 mock verifier', () => {
  const chains = useOracleChains();

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
      // computeL2Timestamp(block) = start + (block − start) × 1 s: a day past the L1 clock's lead
      inTheFuture: await revertOf(
        simulatePropose(c, proposer, {
          ...valid,
          l2BlockNumber: l2BlockNumber + BigInt(L1_CLOCK_LEAD_SECONDS + 86_400),
        }),
      ),
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
    expect(cases.inTheFuture?.reason).toBe('L2OutputOracle: cannot propose L2 output in the future');
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
    // The proxy delegates to the implementation, which calls the verifier: walk the whole call tree.
    const flatten = (frame: TraceFrame): TraceFrame[] => [frame, ...(frame.calls ?? []).flatMap(flatten)];
    const verifierCall = flatten(trace as unknown as TraceFrame).find(
      (call) => call.to.toLowerCase() === c.verifierAddress.toLowerCase(),
    );
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
});
