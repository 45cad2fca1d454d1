import {
  createPublicClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  zeroAddress,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { readLatestOutput, readOracleState, readOutputAtBlock } from '../../../lambdas/chain/oracle-reads.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';

interface RpcCall {
  readonly method: string;
  readonly params: unknown[];
}

/** A client over the L1 anvil that records every JSON-RPC request it sends. */
function recordingClient(rpcUrl: string): { client: PublicClient; calls: RpcCall[] } {
  const calls: RpcCall[] = [];
  const chain = defineChain({
    id: 900,
    name: 'l1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createPublicClient({
    chain,
    transport: http(rpcUrl, {
      batch: false,
      onFetchRequest: async (request) => {
        const body = (await request.clone().json()) as RpcCall | RpcCall[];
        calls.push(...(Array.isArray(body) ? body : [body]));
      },
    }),
  });
  return { client, calls };
}

/** The block tags of the eth_calls among `calls`. */
const callBlocks = (calls: readonly RpcCall[]) =>
  calls.filter((c) => c.method === 'eth_call').map((c) => c.params[1] as string);

describe('oracle reads pinned to one L1 block', () => {
  const chains = useDevChains();

  it('readLatestOutput reads the index and the output at the same block, the head by default', async () => {
    // Prepare
    const { client, calls } = recordingClient(chains().l1.rpcUrl);
    // Act
    const output = await readLatestOutput(client, chains().oracleAddress);
    // Assess
    const blocks = callBlocks(calls);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^0x[0-9a-f]+$/);
    expect(blocks[1]).toBe(blocks[0]);
    expect(calls.findIndex((c) => c.method === 'eth_blockNumber')).toBe(0);
    expect(output.l2BlockNumber).toBe(chains().startingBlock.blockNumber);
  });

  it('readOracleState names its block, and the reads that go with it can be pinned to it', async () => {
    // Prepare
    const { client, calls } = recordingClient(chains().l1.rpcUrl);
    const state = await readOracleState(client, {
      oracleAddress: chains().oracleAddress,
      configName: 'opsuccinct_genesis',
      proposer: chains().oracleAddress,
    });
    calls.length = 0;
    // Act
    await readLatestOutput(client, chains().oracleAddress, { blockNumber: state.blockNumber });
    const atStart = await readOutputAtBlock(client, chains().oracleAddress, state.latestBlockNumber, {
      blockNumber: state.blockNumber,
    });
    // Assess
    const pinned: Hex = `0x${state.blockNumber.toString(16)}`;
    expect(callBlocks(calls)).toEqual([pinned, pinned, pinned, pinned]);
    expect(calls.some((c) => c.method === 'eth_blockNumber')).toBe(false);
    expect(atStart?.l2BlockNumber).toBe(state.latestBlockNumber);
  });

  it('readOracleState reads the verifier and the dispute-game factory (none set on the dev oracle)', async () => {
    // Prepare
    const { client } = recordingClient(chains().l1.rpcUrl);
    // Act
    const state = await readOracleState(client, {
      oracleAddress: chains().oracleAddress,
      configName: 'opsuccinct_genesis',
      proposer: chains().oracleAddress,
    });
    // Assess
    expect(state.verifier).toBe(getAddress(chains().verifierAddress));
    expect(state.disputeGameFactory).toBe(zeroAddress);
    expect(state.optimisticMode).toBe(false);
  });
});
