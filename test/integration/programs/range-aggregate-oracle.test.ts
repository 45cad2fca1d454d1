import {
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  type PublicClient,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregateHost } from '../../../batch-jobs/programs/aggregate/aggregate-host.js';
import { aggregateProgram } from '../../../batch-jobs/programs/aggregate/aggregate-program.js';
import { proveAggregate } from '../../../batch-jobs/programs/aggregate/prove-aggregate.js';
import { proveRange } from '../../../batch-jobs/programs/range/prove-range.js';
import { createRangeHost } from '../../../batch-jobs/programs/range/range-host.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { headerHash, type RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { rollupConfigHashOf } from '../../../lambdas/core/config/rollup-config-hash.js';
import type { AggregateRequest } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { RangeRequest, RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import {
  devnetRollupConfigPath,
  otherRollupConfigPath,
  type ProgramDevnet,
  startProgramDevnet,
} from './program-devnet.js';

const backend = createMockBackend();
const proposer = devAccount(devAccountRoles.proposer);

describe('range + aggregate programs on anvil, proposed to the L1 oracle', () => {
  let devnet: ProgramDevnet;
  let s: bigint;

  const rangeRequest = (start: bigint, end: bigint, extra: Partial<RangeRequest> = {}): RangeRequest => ({
    version: 1,
    program: 'range',
    groupId: `range/${start}-${end}`,
    start: String(start),
    end: String(end),
    rollupConfigHash: devnet.rollupConfigHash,
    proofMode: 'compressed',
    ...extra,
  });
  const prove = (request: RangeRequest, rollupConfigPath = devnetRollupConfigPath): Promise<RangeResult> =>
    proveRange(request, {
      host: createRangeHost({ l1: devnet.l1, l2: devnet.l2, rollupConfigPath }),
      backend,
    });
  const checkpointRequest = async (ranges: RangeResult[]): Promise<AggregateRequest> => {
    const l1Head = await devnet.l1.getBlock({ blockTag: 'latest' });
    const first = ranges[0] as RangeResult;
    const last = ranges[ranges.length - 1] as RangeResult;
    return {
      version: 1,
      program: 'aggregate',
      groupId: `aggregate/${first.start}-${last.end}`,
      start: first.start,
      end: last.end,
      ranges,
      checkpoint: { l1BlockNumber: String(l1Head.number), l1BlockHash: l1Head.hash },
      rangeVkey: rangeProgram.vkey,
      proverAddress: proposer.address,
      proofMode: 'groth16',
    };
  };
  const aggregateHost = () => createAggregateHost({ l1: devnet.l1 });

  beforeAll(async () => {
    devnet = await startProgramDevnet(4);
    s = devnet.startBlock;
    await devnet.mineL2(4, true);
    await devnet.mineL2(4, false);
    await devnet.mineL1(3);
  });

  afterAll(async () => {
    await devnet?.chains.stop();
  });

  it('proves ranges whose output roots equal the L2 output roots, with and without withdrawals', async () => {
    // Prepare
    const l1Latest = await devnet.l1.getBlock({ blockTag: 'latest' });

    // Act
    const withWithdrawals = await prove(rangeRequest(s, s + 4n));
    const withoutWithdrawals = await prove(rangeRequest(s + 4n, s + 8n));

    // Assess
    expect(withWithdrawals.bootInfo).toEqual({
      l1Head: l1Latest.hash,
      l2PreRoot: (await computeOutputRoot(devnet.l2, s)).outputRoot,
      l2PostRoot: (await computeOutputRoot(devnet.l2, s + 4n)).outputRoot,
      l2BlockNumber: String(s + 4n),
      rollupConfigHash: devnet.rollupConfigHash,
    });
    expect(withWithdrawals.bootInfo.l2PreRoot).toBe(devnet.chains.startingBlock.outputRoot);
    expect(withoutWithdrawals.bootInfo.l2PreRoot).toBe(withWithdrawals.bootInfo.l2PostRoot);
    expect(withoutWithdrawals.bootInfo.l2PostRoot).toBe(
      (await computeOutputRoot(devnet.l2, s + 8n)).outputRoot,
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
          devnet.rollupConfigHash,
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
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 4n, s + 8n))];
    const l1Chain = localChain(900, devnet.chains.l1.rpcUrl);
    const wallet = createWalletClient({
      account: proposer,
      chain: l1Chain,
      transport: http(devnet.chains.l1.rpcUrl),
    });
    const oracle = { address: devnet.chains.oracleAddress, abi: opSuccinctL2OutputOracleAbi } as const;
    const checkpointNumber = await devnet.l1.getBlockNumber({ cacheTime: 0 });
    const checkpointTx = await wallet.writeContract({
      ...oracle,
      functionName: 'checkpointBlockHash',
      args: [checkpointNumber],
    });
    await devnet.l1.waitForTransactionReceipt({ hash: checkpointTx, pollingInterval: 50 });
    const request = await checkpointRequest(ranges);
    request.checkpoint = {
      l1BlockNumber: String(checkpointNumber),
      l1BlockHash: await devnet.l1.readContract({
        ...oracle,
        functionName: 'historicBlockHashes',
        args: [checkpointNumber],
      }),
    };

    // Act
    const result = await proveAggregate(request, { host: aggregateHost(), backend });
    const configName = await devnet.l1.readContract({ ...oracle, functionName: 'GENESIS_CONFIG_NAME' });
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
    const receipt = await devnet.l1.waitForTransactionReceipt({ hash: proposeTx, pollingInterval: 50 });

    // Assess
    expect(receipt.status).toBe('success');
    const index = await devnet.l1.readContract({ ...oracle, functionName: 'latestOutputIndex' });
    const stored = await devnet.l1.readContract({ ...oracle, functionName: 'getL2Output', args: [index] });
    expect(stored.outputRoot).toBe((await computeOutputRoot(devnet.l2, s + 8n)).outputRoot);
    expect(stored.l2BlockNumber).toBe(s + 8n);
    // The mock verifier checks only the proof bytes: check the public values are what the oracle encodes.
    const [, rangeVkeyCommitment, rollupConfigHash] = await devnet.l1.readContract({
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
          devnet.chains.startingBlock.outputRoot,
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

  it('refuses a gap between ranges, naming both ranges', async () => {
    // Prepare
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 5n, s + 8n))];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[range-gap]: gap between range ${s}-${s + 4n} and range ${s + 5n}-${s + 8n}: blocks ${s + 5n}…${s + 5n} are not proven`,
    );
  });

  it('refuses overlapping ranges, naming both ranges', async () => {
    // Prepare
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 3n, s + 8n))];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[range-overlap]: overlap between range ${s}-${s + 4n} and range ${s + 3n}-${s + 8n}`,
    );
  });

  it('refuses ranges proven under different rollup configs', async () => {
    // Prepare
    const otherHash = await rollupConfigHashOf(otherRollupConfigPath);
    const ranges = [
      await prove(rangeRequest(s, s + 4n)),
      await prove(rangeRequest(s + 4n, s + 8n, { rollupConfigHash: otherHash }), otherRollupConfigPath),
    ];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[rollup-config-mismatch]: range ${s + 4n}-${s + 8n} has rollupConfigHash ${otherHash}`,
    );
  });

  it('refuses a range whose l1Head is not in the L1 chain ending at the checkpoint', async () => {
    // Prepare
    const foreign = `0x${'ab'.repeat(32)}` as const;
    const ranges = [
      await prove(rangeRequest(s, s + 4n)),
      await prove(rangeRequest(s + 4n, s + 8n, { l1Head: foreign })),
    ];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[foreign-l1-head]: range ${s + 4n}-${s + 8n} l1Head ${foreign} is not in the L1 header chain`,
    );
  });

  it('refuses an l1Head newer than the checkpointed block', async () => {
    // Prepare
    const ranges = [await prove(rangeRequest(s, s + 4n))];
    const request = await checkpointRequest(ranges);
    const older = await devnet.l1.getBlock({ blockNumber: BigInt(request.checkpoint.l1BlockNumber) - 1n });
    request.checkpoint = { l1BlockNumber: String(older.number), l1BlockHash: older.hash };

    // Act
    const refused = proveAggregate(request, { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow('[foreign-l1-head]');
  });

  it('rejects a range whose watcher-observed block hash differs from the chain (reorg guard)', async () => {
    // Prepare
    const block = await devnet.l2.getBlock({ blockNumber: s + 2n });
    const request = rangeRequest(s, s + 4n, {
      blocks: [{ number: String(s + 2n), hash: `0x${'12'.repeat(32)}`, parentHash: block.parentHash }],
    });

    // Act
    const refused = prove(request);

    // Assess
    await expect(refused).rejects.toThrow(`L2 block ${s + 2n}: the watcher saw hash 0x${'12'.repeat(32)}`);
  });

  it('rejects real headers whose parent-hash chain is broken, naming the block', async () => {
    // Prepare
    const input = await createRangeHost({
      l1: devnet.l1,
      l2: devnet.l2,
      rollupConfigPath: devnetRollupConfigPath,
    }).prepareInput(rangeRequest(s, s + 4n));
    const third = input.headers[2] as RpcBlockHeader;
    const forged = { ...third, parentHash: `0x${'34'.repeat(32)}` };
    input.headers[2] = { ...forged, hash: headerHash(forged) };

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(
      `[parent-hash]: L2 block ${s + 2n}: parentHash 0x${'34'.repeat(32)} is not the hash`,
    );
  });

  it('rejects real headers whose claimed hash is not keccak256(rlp(header))', async () => {
    // Prepare
    const input = await createRangeHost({
      l1: devnet.l1,
      l2: devnet.l2,
      rollupConfigPath: devnetRollupConfigPath,
    }).prepareInput(rangeRequest(s, s + 4n));
    input.headers[1] = { ...(input.headers[1] as RpcBlockHeader), gasUsed: '0x1' };

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(`[header-hash]: L2 block ${s + 1n}: keccak256(rlp(header))`);
  });

  it('rejects a claimed rollupConfigHash that the config file does not hash to', async () => {
    // Prepare
    const request = rangeRequest(s, s + 4n, { rollupConfigHash: `0x${'77'.repeat(32)}` });

    // Act
    const refused = prove(request);

    // Assess
    await expect(refused).rejects.toThrow('[rollup-config-hash]');
  });

  it('rejects real message-passer account proofs swapped between the pre and post blocks', async () => {
    // Prepare: the range holds withdrawals, so the two storage roots differ.
    const input = await createRangeHost({
      l1: devnet.l1,
      l2: devnet.l2,
      rollupConfigPath: devnetRollupConfigPath,
    }).prepareInput(rangeRequest(s, s + 4n));
    input.postMessagePasserAccountProof = input.preMessagePasserAccountProof;

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(
      `[message-passer-proof]: L2 block ${s + 4n}: the message passer account proof does not verify against stateRoot`,
    );
  });

  it('refuses to prove when the L2 node answers eth_getProof from another block than the header', async () => {
    // Prepare: a node whose proofs lag one block behind its headers (a `safe` head moving in between).
    const lagging = createPublicClient({
      transport: http(devnet.chains.l2.rpcUrl, {
        fetchFn: async (input, init) => {
          const body = JSON.parse(String(init?.body)) as { method: string; params: unknown[] };
          if (body.method === 'eth_getProof') {
            const [address, keys, at] = body.params as [string, string[], { blockHash: Hex }];
            const block = await devnet.l2.getBlock({ blockHash: at.blockHash });
            body.params = [address, keys, `0x${(block.number - 1n).toString(16)}`];
          }
          return fetch(input, { ...init, body: JSON.stringify(body) });
        },
      }),
    }) as PublicClient;

    // Act
    const refused = proveRange(rangeRequest(s, s + 4n), {
      host: createRangeHost({ l1: devnet.l1, l2: lagging, rollupConfigPath: devnetRollupConfigPath }),
      backend,
    });

    // Assess
    await expect(refused).rejects.toThrow(
      /^L2 block \d+ \(0x[0-9a-f]{64}\): the message passer proof does not verify against the block's stateRoot/,
    );
  });
});
