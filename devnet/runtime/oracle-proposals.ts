import type { Address, Hex, PublicClient } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';

/** One output the oracle holds; index 0 is the starting output set at deployment. */
export interface OracleOutput {
  readonly index: bigint;
  readonly outputRoot: Hex;
  readonly l2BlockNumber: bigint;
  readonly timestamp: bigint;
}

/** Reads every output of the oracle (index 0 … latestOutputIndex), straight from L1. */
export async function readOracleOutputs(client: PublicClient, oracle: Address): Promise<OracleOutput[]> {
  const latest = await client.readContract({
    address: oracle,
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'latestOutputIndex',
  });
  const outputs: OracleOutput[] = [];
  for (let index = 0n; index <= latest; index += 1n) {
    const output = await client.readContract({
      address: oracle,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'getL2Output',
      args: [index],
    });
    outputs.push({
      index,
      outputRoot: output.outputRoot,
      l2BlockNumber: output.l2BlockNumber,
      timestamp: output.timestamp,
    });
  }
  return outputs;
}

/** Proposals so far (outputs after the starting one) and the latest proposed L2 block. */
export async function readOracleHead(
  client: PublicClient,
  oracle: Address,
): Promise<{ proposals: bigint; latestBlockNumber: bigint }> {
  const [proposals, latestBlockNumber] = await Promise.all([
    client.readContract({
      address: oracle,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'latestOutputIndex',
    }),
    client.readContract({
      address: oracle,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'latestBlockNumber',
    }),
  ]);
  return { proposals, latestBlockNumber };
}

/**
 * `proposeL2Output` transactions sent to the oracle in L1 blocks `[fromBlock, toBlock]`
 * (OutputProposed logs); `toBlock` defaults to the latest block.
 */
export async function readProposalTransactions(
  client: PublicClient,
  oracle: Address,
  fromBlock: bigint,
  toBlock: bigint | 'latest' = 'latest',
): Promise<{ l2BlockNumber: bigint; outputIndex: bigint; txHash: Hex; l1BlockNumber: bigint }[]> {
  const logs = await client.getContractEvents({
    address: oracle,
    abi: opSuccinctL2OutputOracleAbi,
    eventName: 'OutputProposed',
    fromBlock,
    toBlock,
  });
  return logs.map((log) => ({
    l2BlockNumber: log.args.l2BlockNumber as bigint,
    outputIndex: log.args.l2OutputIndex as bigint,
    txHash: log.transactionHash,
    l1BlockNumber: log.blockNumber,
  }));
}
