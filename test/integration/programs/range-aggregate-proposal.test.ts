import { createWalletClient, encodeAbiParameters, type Hex, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { aggregateProgram } from '../../../batch-jobs/programs/aggregate/aggregate-program.js';
import { proveAggregate } from '../../../batch-jobs/programs/aggregate/prove-aggregate.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { backend, proposer, useRangeAggregateDevnet } from './range-aggregate-fixture.js';

describe('range + aggregate programs on anvil, proposed to the L1 oracle', () => {
  const { devnet, rangeRequest, prove, checkpointRequest, aggregateHost } = useRangeAggregateDevnet();

  it('proves ranges whose output roots equal the L2 output roots, with and without withdrawals', async () => {
    // Prepare
    const s = devnet().startBlock;
    const l1Latest = await devnet().l1.getBlock({ blockTag: 'latest' });

    // Act
    const withWithdrawals = await prove(rangeRequest(s, s + 4n));
    const withoutWithdrawals = await prove(rangeRequest(s + 4n, s + 8n));

    // Assess
    expect(withWithdrawals.bootInfo).toEqual({
      l1Head: l1Latest.hash,
      l2PreRoot: (await computeOutputRoot(devnet().l2, s)).outputRoot,
      l2PostRoot: (await computeOutputRoot(devnet().l2, s + 4n)).outputRoot,
      l2BlockNumber: String(s + 4n),
      rollupConfigHash: devnet().rollupConfigHash,
    });
    expect(withWithdrawals.bootInfo.l2PreRoot).toBe(devnet().chains.startingBlock.outputRoot);
    expect(withoutWithdrawals.bootInfo.l2PreRoot).toBe(withWithdrawals.bootInfo.l2PostRoot);
    expect(withoutWithdrawals.bootInfo.l2PostRoot).toBe(
      (await computeOutputRoot(devnet().l2, s + 8n)).outputRoot,
    );
    expect(withWithdrawals.publicValues).toBe(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'uint64' },
          { type: 'bytes32' },
        ],
        [
          l1Latest.hash,
          withWithdrawals.bootInfo.l2PreRoot as Hex,
          withWithdrawals.bootInfo.l2PostRoot as Hex,
          s + 4n,
          devnet().rollupConfigHash,
        ],
      ),
    );
    expect(withWithdrawals).toMatchObject({
      proof: '0x',
      vkey: rangeProgram.vkey,
      backend: 'mock',
      proofMode: 'compressed',
    });
    expect(withWithdrawals.cycles).toBeGreaterThan(0);
  });

  it('accepts an aggregate of two mock range proofs on the oracle and stores the L2 output root', async () => {
    // Prepare
    const s = devnet().startBlock;
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 4n, s + 8n))];
    const l1Chain = localChain(900, devnet().chains.l1.rpcUrl);
    const wallet = createWalletClient({
      account: proposer,
      chain: l1Chain,
      transport: http(devnet().chains.l1.rpcUrl),
    });
    const oracle = { address: devnet().chains.oracleAddress, abi: opSuccinctL2OutputOracleAbi } as const;
    const checkpointNumber = await devnet().l1.getBlockNumber({ cacheTime: 0 });
    const checkpointTx = await wallet.writeContract({
      ...oracle,
      functionName: 'checkpointBlockHash',
      args: [checkpointNumber],
    });
    await devnet().l1.waitForTransactionReceipt({ hash: checkpointTx, pollingInterval: 50 });
    const request = await checkpointRequest(ranges);
    request.checkpoint = {
      l1BlockNumber: String(checkpointNumber),
      l1BlockHash: await devnet().l1.readContract({
        ...oracle,
        functionName: 'historicBlockHashes',
        args: [checkpointNumber],
      }),
    };

    // Act
    const result = await proveAggregate(request, { host: aggregateHost(), backend });
    const configName = await devnet().l1.readContract({ ...oracle, functionName: 'GENESIS_CONFIG_NAME' });
    const proposeTx = await wallet.writeContract({
      ...oracle,
      functionName: 'proposeL2Output',
      args: [
        configName,
        result.outputs.claimRoot as Hex,
        BigInt(result.outputs.claimBlockNum),
        BigInt(result.l1BlockNumber),
        result.proof as Hex,
        result.outputs.proverAddress as Hex,
      ],
    });
    const receipt = await devnet().l1.waitForTransactionReceipt({ hash: proposeTx, pollingInterval: 50 });

    // Assess
    expect(receipt.status).toBe('success');
    const index = await devnet().l1.readContract({ ...oracle, functionName: 'latestOutputIndex' });
    const stored = await devnet().l1.readContract({ ...oracle, functionName: 'getL2Output', args: [index] });
    expect(stored.outputRoot).toBe((await computeOutputRoot(devnet().l2, s + 8n)).outputRoot);
    expect(stored.l2BlockNumber).toBe(s + 8n);
    // The mock verifier checks only the proof bytes: check the public values are what the oracle encodes.
    const [, rangeVkeyCommitment, rollupConfigHash] = await devnet().l1.readContract({
      ...oracle,
      functionName: 'opSuccinctConfigs',
      args: [configName],
    });
    expect(result.publicValues).toBe(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'uint256' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'address' },
        ],
        [
          request.checkpoint.l1BlockHash as Hex,
          devnet().chains.startingBlock.outputRoot,
          stored.outputRoot,
          s + 8n,
          rollupConfigHash,
          rangeVkeyCommitment,
          proposer.address,
        ],
      ).toLowerCase(),
    );
    expect(result).toMatchObject({ aggregationVkey: aggregateProgram.vkey, backend: 'mock', proof: '0x' });
  });
});
