import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  toHex,
} from 'viem';
import { expect } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';

/** Registers hooks in the calling `describe` that start dev chains (submission interval 5) once. */
export function useOracleChains(): () => DevChains {
  return useDevChains({ submissionInterval: 5 });
}

export const abi = opSuccinctL2OutputOracleAbi;
export const genesisConfigName = keccak256(toHex('opsuccinct_genesis'));
export const proposer = devAccount(devAccountRoles.proposer);
export const owner = devAccount(devAccountRoles.deployer);
export const stranger = devAccount(devAccountRoles.spareSigner);

export interface Revert {
  readonly reason: string | undefined;
  readonly errorName: string | undefined;
}

/** The decoded revert of a simulated call, or undefined when the call succeeds. */
export async function revertOf(call: Promise<unknown>): Promise<Revert | undefined> {
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

/** Public clients on both chains, an anvil client on L2 and wallets on L1 for the dev accounts. */
export function clients(chains: DevChains) {
  const l1Chain = localChain(chains.l1.chainId, chains.l1.rpcUrl);
  const l1 = createPublicClient({ chain: l1Chain, transport: http(chains.l1.rpcUrl) });
  const l2 = createPublicClient({ transport: http(chains.l2.rpcUrl) });
  const l2Test = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) });
  const wallet = (account: typeof proposer) =>
    createWalletClient({ account, chain: l1Chain, transport: http(chains.l1.rpcUrl) });
  return { l1, l2, l2Test, wallet };
}

/** Checkpoints the current L1 head and returns its number. */
export async function checkpointL1Head(chains: DevChains): Promise<bigint> {
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
export async function nextProposal(chains: DevChains): Promise<{ l2BlockNumber: bigint; outputRoot: Hex }> {
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

/** Simulates `proposeL2Output` from `from`; config, proof and prover default to genesis, `0x` and the proposer. */
export function simulatePropose(
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
