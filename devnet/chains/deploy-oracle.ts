import { type Account, type Address, createPublicClient, createWalletClient, type Hex, http } from 'viem';
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
  readonly proposers: readonly Address[];
  /** @default the deployer */
  readonly owner?: Address;
  /** @default 0 */
  readonly finalizationPeriodSeconds?: number;
  /** An already deployed SP1 verifier; @default a freshly deployed `SP1MockVerifier` */
  readonly verifierAddress?: Address;
}

export interface DeployedOracle {
  readonly oracleAddress: Address;
  readonly verifierAddress: Address;
  /** Deployment transactions in order (mock verifier first when it was deployed). */
  readonly deployTxHashes: readonly Hex[];
}

/**
 * Deploys the `OPSuccinctL2OutputOracle` (and, unless a verifier is given, an `SP1MockVerifier`) on L1,
 * with the genesis config (`GENESIS_CONFIG_NAME`) set to the given vkeys and rollup config hash.
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

  const deployed = async (hash: Hex, what: string): Promise<Address> => {
    deployTxHashes.push(hash);
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

  const oracleAddress = await deployed(
    await wallet.deployContract({
      abi: opSuccinctL2OutputOracleAbi,
      bytecode: opSuccinctL2OutputOracleBytecode,
      args: [
        {
          verifier: verifierAddress,
          owner: options.owner ?? options.deployer.address,
          proposers: [...options.proposers],
          aggregationVkey: options.aggregationVkey,
          rangeVkeyCommitment: options.rangeVkeyCommitment,
          rollupConfigHash: options.rollupConfigHash,
          startingOutputRoot: options.startingOutputRoot,
          startingBlockNumber: options.startingBlockNumber,
          startingTimestamp: options.startingTimestamp,
          submissionInterval: BigInt(options.submissionInterval),
          l2BlockTime: BigInt(options.l2BlockTime),
          finalizationPeriodSeconds: BigInt(options.finalizationPeriodSeconds ?? 0),
        },
      ],
    }),
    'OPSuccinctL2OutputOracle',
  );

  return { oracleAddress, verifierAddress, deployTxHashes };
}
