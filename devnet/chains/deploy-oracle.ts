import {
  type Account,
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  isAddressEqual,
  zeroAddress,
} from 'viem';
import { erc1967ProxyAbi, erc1967ProxyBytecode } from '../../lambdas/chain/abi/ERC1967Proxy.generated.js';
import {
  opSuccinctL2OutputOracleAbi,
  opSuccinctL2OutputOracleBytecode,
} from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import {
  sp1MockVerifierAbi,
  sp1MockVerifierBytecode,
} from '../../lambdas/chain/abi/SP1MockVerifier.generated.js';
import { DevChainError } from './errors.js';
import { localChain } from './local-chain.js';

/** Upstream's default `fallbackTimeout`: two weeks. */
const TWO_WEEKS_SECONDS = 1_209_600;

export interface DeployOracleOptions {
  readonly l1RpcUrl: string;
  /** Sends the deployments and owns the oracle (unless `owner` says otherwise). */
  readonly deployer: Account;
  /** L2 block of the starting output (index 0); proving starts at the next block. */
  readonly startingBlockNumber: bigint;
  readonly startingOutputRoot: Hex;
  /** L2 timestamp of the starting block. */
  readonly startingTimestamp: bigint;
  readonly submissionInterval: number;
  readonly l2BlockTime: number;
  readonly aggregationVkey: Hex;
  readonly rangeVkeyCommitment: Hex;
  readonly rollupConfigHash: Hex;
  /** Approved proposers: the first through `initialize`, the others with `addProposer`. */
  readonly proposers: readonly Address[];
  /** @default the deployer */
  readonly owner?: Address;
  /** The address that may call `deleteL2Outputs`. @default the owner */
  readonly challenger?: Address;
  /** @default 0 */
  readonly finalizationPeriodSeconds?: number;
  /** Seconds without a proposal after which anyone may propose. @default 1_209_600 (two weeks, upstream's default) */
  readonly fallbackTimeoutSeconds?: number;
  /** An already deployed SP1 verifier; @default a freshly deployed `SP1MockVerifier` */
  readonly verifierAddress?: Address;
  /**
   * Mine an L1 block (anvil `evm_mine`) right after sending each transaction, so that an
   * interval-mined L1 does not hold each of the 3-5 transactions for up to a block time: the
   * devnet's 1 s L1 blocks otherwise cost ~3 s of every start. Leave it off with automine, where
   * sending mines. @default false
   */
  readonly mineEachTransaction?: boolean;
}

export interface DeployedOracle {
  /** The proxy: the address every caller uses. */
  readonly oracleAddress: Address;
  /** The oracle implementation behind the proxy (its own storage can never be initialized). */
  readonly implementationAddress: Address;
  readonly verifierAddress: Address;
  /**
   * Transactions in order: mock verifier (when deployed), implementation, proxy (running `initialize`),
   * one `addProposer` per further proposer, and `transferOwnership` when the owner is not the deployer.
   */
  readonly deployTxHashes: readonly Hex[];
}

/**
 * Deploys the `OPSuccinctL2OutputOracle` as upstream deploys it: an implementation, and a proxy
 * (`ERC1967Proxy`) whose construction runs `initialize(InitParams)` with the genesis config
 * (`GENESIS_CONFIG_NAME`) set to the given vkeys and rollup config hash; unless a verifier is given, an
 * `SP1MockVerifier` first. The deployer owns the oracle while it approves the further proposers, then
 * hands ownership to `owner` if that is someone else.
 *
 * @example
 * const { oracleAddress } = await deployOracle({ l1RpcUrl, deployer: devAccount(0), ... });
 */
export async function deployOracle(options: DeployOracleOptions): Promise<DeployedOracle> {
  const transport = http(options.l1RpcUrl);
  const publicClient = createPublicClient({ transport });
  const chain = localChain(await publicClient.getChainId(), options.l1RpcUrl);
  const wallet = createWalletClient({ account: options.deployer, chain, transport });
  const deployTxHashes: Hex[] = [];
  const testClient = createTestClient({ mode: 'anvil', transport });
  const sent = async (hash: Hex): Promise<void> => {
    deployTxHashes.push(hash);
    if (options.mineEachTransaction === true) await testClient.mine({ blocks: 1 });
  };

  const deployed = async (hash: Hex, what: string): Promise<Address> => {
    await sent(hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    if (receipt.status !== 'success' || receipt.contractAddress == null) {
      throw new DevChainError(`deploying ${what} on ${options.l1RpcUrl} failed`, { details: `tx ${hash}` });
    }
    return receipt.contractAddress;
  };

  const verifierAddress =
    options.verifierAddress ??
    (await deployed(
      await wallet.deployContract({ abi: sp1MockVerifierAbi, bytecode: sp1MockVerifierBytecode }),
      'SP1MockVerifier',
    ));

  const deployer = options.deployer.address;
  const owner = options.owner ?? deployer;
  const [firstProposer, ...moreProposers] = options.proposers;
  const implementationAddress = await deployed(
    await wallet.deployContract({
      abi: opSuccinctL2OutputOracleAbi,
      bytecode: opSuccinctL2OutputOracleBytecode,
    }),
    'OPSuccinctL2OutputOracle (implementation)',
  );
  const initialize = encodeFunctionData({
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'initialize',
    args: [
      {
        challenger: options.challenger ?? owner,
        proposer: firstProposer ?? zeroAddress,
        owner: deployer,
        finalizationPeriodSeconds: BigInt(options.finalizationPeriodSeconds ?? 0),
        l2BlockTime: BigInt(options.l2BlockTime),
        aggregationVkey: options.aggregationVkey,
        rangeVkeyCommitment: options.rangeVkeyCommitment,
        rollupConfigHash: options.rollupConfigHash,
        startingOutputRoot: options.startingOutputRoot,
        startingBlockNumber: options.startingBlockNumber,
        startingTimestamp: options.startingTimestamp,
        submissionInterval: BigInt(options.submissionInterval),
        verifier: verifierAddress,
        fallbackTimeout: BigInt(options.fallbackTimeoutSeconds ?? TWO_WEEKS_SECONDS),
      },
    ],
  });
  const oracleAddress = await deployed(
    await wallet.deployContract({
      abi: erc1967ProxyAbi,
      bytecode: erc1967ProxyBytecode,
      args: [implementationAddress, initialize],
    }),
    'OPSuccinctL2OutputOracle (proxy)',
  );

  const mined = async (hash: Hex, what: string): Promise<void> => {
    await sent(hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    if (receipt.status !== 'success') {
      throw new DevChainError(`${what} on the oracle at ${oracleAddress} failed`, { details: `tx ${hash}` });
    }
  };
  const oracle = { address: oracleAddress, abi: opSuccinctL2OutputOracleAbi } as const;
  for (const proposer of moreProposers) {
    await mined(
      await wallet.writeContract({ ...oracle, functionName: 'addProposer', args: [proposer] }),
      `addProposer(${proposer})`,
    );
  }
  if (!isAddressEqual(owner, deployer)) {
    await mined(
      await wallet.writeContract({ ...oracle, functionName: 'transferOwnership', args: [owner] }),
      `transferOwnership(${owner})`,
    );
  }

  return { oracleAddress, implementationAddress, verifierAddress, deployTxHashes };
}
