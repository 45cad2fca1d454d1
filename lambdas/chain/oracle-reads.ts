import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  type Hex,
  keccak256,
  toHex,
  zeroAddress,
} from 'viem';
import { opSuccinctL2OutputOracleAbi } from './abi/OPSuccinctL2OutputOracle.generated.js';
import type { ChainClient } from './chain-client.js';

/** The oracle's entry for one config name (`opSuccinctConfigs(keccak256(name))`). */
export interface OracleProgramConfig {
  readonly aggregationVkey: Hex;
  readonly rangeVkeyCommitment: Hex;
  readonly rollupConfigHash: Hex;
}

/** What the proposer reads from the oracle at the start of a run. */
export interface OracleState {
  /** The L1 block every value here was read at; pass it on to reads that must agree with them. */
  readonly blockNumber: bigint;
  readonly latestBlockNumber: bigint;
  readonly nextBlockNumber: bigint;
  readonly submissionInterval: bigint;
  /** bytes32 config name: keccak256 of the config's string name. */
  readonly configName: Hex;
  readonly config: OracleProgramConfig;
  /**
   * Whether `proposer` may propose: `approvedProposers(proposer)`, the open `address(0)` entry, or
   * no output stored for more than `fallbackTimeout()` seconds (then upstream accepts anyone).
   */
  readonly proposerApproved: boolean;
  /** `optimisticMode()`: validity proposals revert while it is on (false for an oracle without the switch). */
  readonly optimisticMode: boolean;
  /** `verifier()`: the SP1 verifier (gateway) the oracle checks proofs with. */
  readonly verifier: Address;
  /**
   * `disputeGameFactory()`: when not zero, direct `proposeL2Output` calls revert and proposals must go
   * through `dgfProposeL2Output` (zero for an oracle without the field).
   */
  readonly disputeGameFactory: Address;
}

/** keccak256 of the UTF-8 config name, as the oracle keys `opSuccinctConfigs`. */
export function oracleConfigName(name: string): Hex {
  return keccak256(toHex(name));
}

/**
 * Reads latest/next block numbers, the submission interval, the program config of `configName`,
 * whether `proposer` is approved, the mode, the verifier and the dispute-game factory, in one round
 * of parallel calls at one block.
 */
export async function readOracleState(
  client: ChainClient,
  parameters: { oracleAddress: Address; configName: string; proposer: Address },
): Promise<OracleState> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const base = { address: parameters.oracleAddress, abi: opSuccinctL2OutputOracleAbi, blockNumber } as const;
  const configName = oracleConfigName(parameters.configName);
  const [
    latestBlockNumber,
    nextBlockNumber,
    submissionInterval,
    config,
    approved,
    openProposing,
    optimisticMode,
    verifier,
    disputeGameFactory,
  ] = await Promise.all([
    client.readContract({ ...base, functionName: 'latestBlockNumber' }),
    client.readContract({ ...base, functionName: 'nextBlockNumber' }),
    client.readContract({ ...base, functionName: 'submissionInterval' }),
    client.readContract({ ...base, functionName: 'opSuccinctConfigs', args: [configName] }),
    client.readContract({ ...base, functionName: 'approvedProposers', args: [parameters.proposer] }),
    client.readContract({ ...base, functionName: 'approvedProposers', args: [zeroAddress] }),
    orIfAbsent(client.readContract({ ...base, functionName: 'optimisticMode' }), false),
    client.readContract({ ...base, functionName: 'verifier' }),
    orIfAbsent(client.readContract({ ...base, functionName: 'disputeGameFactory' }), zeroAddress),
  ]);
  // Only an unapproved signer needs the fallback timeout: one more round of reads then, none otherwise.
  const fallbackOpen = !(approved || openProposing) && (await fallbackTimeoutPassed(client, base));
  const [aggregationVkey, rangeVkeyCommitment, rollupConfigHash] = config;
  return {
    blockNumber,
    latestBlockNumber,
    nextBlockNumber,
    submissionInterval,
    configName,
    config: { aggregationVkey, rangeVkeyCommitment, rollupConfigHash },
    proposerApproved: approved || openProposing || fallbackOpen,
    optimisticMode,
    verifier,
    disputeGameFactory,
  };
}

/**
 * Upstream lets anyone propose once no output was stored for `fallbackTimeout()` seconds (at the
 * pinned block's timestamp); false for an oracle without the timeout.
 */
async function fallbackTimeoutPassed(
  client: ChainClient,
  base: {
    readonly address: Address;
    readonly abi: typeof opSuccinctL2OutputOracleAbi;
    readonly blockNumber: bigint;
  },
): Promise<boolean> {
  const [fallbackTimeout, lastProposalTimestamp, block] = await Promise.all([
    orIfAbsent(client.readContract({ ...base, functionName: 'fallbackTimeout' }), undefined),
    orIfAbsent(client.readContract({ ...base, functionName: 'lastProposalTimestamp' }), undefined),
    client.getBlock({ blockNumber: base.blockNumber }),
  ]);
  if (fallbackTimeout === undefined || lastProposalTimestamp === undefined) return false;
  return block.timestamp - lastProposalTimestamp > fallbackTimeout;
}

/** `read`'s value, or `absent` when the oracle has no such function (an older deployment). */
async function orIfAbsent<T, A>(read: Promise<T>, absent: A): Promise<T | A> {
  return read.catch((error: unknown) => (lacksFunction(error) ? absent : Promise.reject(error)));
}

/** The call reverted without data or returned nothing: the contract has no such function (older oracle). */
function lacksFunction(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  return (
    error.walk((e) => e instanceof ContractFunctionZeroDataError) !== null ||
    error.walk(
      (e) => e instanceof ContractFunctionRevertedError && e.data === undefined && e.reason === undefined,
    ) !== null
  );
}

/** Where a group of reads is pinned: one L1 block, so the answers describe one oracle state. */
export interface ReadAt {
  /** The L1 block to read at. @default the head, read once before the calls */
  readonly blockNumber?: bigint;
}

async function pinnedBlock(client: ChainClient, at: ReadAt): Promise<bigint> {
  return at.blockNumber ?? client.getBlockNumber({ cacheTime: 0 });
}

/** `historicBlockHashes(l1BlockNumber)`: zero when never checkpointed (or the checkpoint was reorged out). */
export async function readHistoricBlockHash(
  client: ChainClient,
  oracleAddress: Address,
  l1BlockNumber: bigint,
): Promise<Hex> {
  return client.readContract({
    address: oracleAddress,
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'historicBlockHashes',
    args: [l1BlockNumber],
  });
}

/** One stored output of the oracle. */
export interface OracleOutput {
  readonly outputRoot: Hex;
  readonly l2BlockNumber: bigint;
}

/**
 * The latest stored output (`getL2Output(latestOutputIndex())`): the pre-root the next proof must
 * start from. Both calls read at one L1 block (`at.blockNumber`, e.g. `OracleState.blockNumber`, or
 * the head read once), so a proposal landing between them cannot pair an index with another state.
 */
export async function readLatestOutput(
  client: ChainClient,
  oracleAddress: Address,
  at: ReadAt = {},
): Promise<OracleOutput> {
  const blockNumber = await pinnedBlock(client, at);
  const base = { address: oracleAddress, abi: opSuccinctL2OutputOracleAbi, blockNumber } as const;
  const index = await client.readContract({ ...base, functionName: 'latestOutputIndex' });
  const output = await client.readContract({ ...base, functionName: 'getL2Output', args: [index] });
  return { outputRoot: output.outputRoot, l2BlockNumber: output.l2BlockNumber };
}

/**
 * The output stored for exactly L2 block `l2BlockNumber`, or undefined when the oracle holds none
 * for that block. Only call it for blocks ≤ `latestBlockNumber()` (the oracle reverts above). Both
 * calls read at one L1 block (`at.blockNumber` or the head read once).
 */
export async function readOutputAtBlock(
  client: ChainClient,
  oracleAddress: Address,
  l2BlockNumber: bigint,
  at: ReadAt = {},
): Promise<OracleOutput | undefined> {
  const blockNumber = await pinnedBlock(client, at);
  const base = { address: oracleAddress, abi: opSuccinctL2OutputOracleAbi, blockNumber } as const;
  const index = await client.readContract({
    ...base,
    functionName: 'getL2OutputIndexAfter',
    args: [l2BlockNumber],
  });
  const output = await client.readContract({ ...base, functionName: 'getL2Output', args: [index] });
  if (output.l2BlockNumber !== l2BlockNumber) return undefined;
  return { outputRoot: output.outputRoot, l2BlockNumber: output.l2BlockNumber };
}
