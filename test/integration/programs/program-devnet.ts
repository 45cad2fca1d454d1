import { fileURLToPath } from 'node:url';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseGwei,
} from 'viem';
import { aggregateProgram } from '../../../batch-jobs/programs/aggregate/aggregate-program.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { devAccount } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { type DevChains, startDevChains } from '../../../devnet/chains/start-dev-chains.js';
import { l2ToL1MessagePasserAbi } from '../../../lambdas/chain/abi/L2ToL1MessagePasser.generated.js';
import { messagePasserAddress } from '../../../lambdas/chain/l2-state/message-passer.js';
import { rollupConfigHashOf } from '../../../lambdas/core/config/rollup-config-hash.js';

export const devnetRollupConfigPath = fileURLToPath(
  new URL('../../../config/rollup/devnet.json', import.meta.url),
);
export const otherRollupConfigPath = fileURLToPath(
  new URL('../../../config/rollup/example-mainnet.json', import.meta.url),
);

/** Local L1 + L2 with the oracle configured for this repo's mock vkeys, and clients on both. */
export interface ProgramDevnet {
  readonly chains: DevChains;
  readonly l1: PublicClient;
  readonly l2: PublicClient;
  readonly rollupConfigHash: Hex;
  /** L2 block the oracle starts from. */
  readonly startBlock: bigint;
  /** Mines `count` L2 blocks; each carries a withdrawal and a transfer when `withWithdrawals`. */
  mineL2(count: number, withWithdrawals: boolean): Promise<bigint>;
  /** Mines `count` empty L1 blocks; returns the new head. */
  mineL1(count: number): Promise<bigint>;
}

/** Starts the dev chains (automine, no traffic: the tests mine exactly the blocks they need). */
export async function startProgramDevnet(submissionInterval: number): Promise<ProgramDevnet> {
  const rollupConfigHash = await rollupConfigHashOf(devnetRollupConfigPath);
  const chains = await startDevChains({
    aggregationVkey: aggregateProgram.vkey,
    rangeVkeyCommitment: rangeProgram.vkey,
    rollupConfigHash,
    submissionInterval,
    traffic: false,
  });
  const l1 = createPublicClient({ transport: http(chains.l1.rpcUrl) }) as PublicClient;
  const l2 = createPublicClient({ transport: http(chains.l2.rpcUrl) }) as PublicClient;
  const l2Chain = localChain(901, chains.l2.rpcUrl);
  const l2Wallet = createWalletClient({
    account: devAccount(5),
    chain: l2Chain,
    transport: http(chains.l2.rpcUrl),
  });
  const l2Test = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) });
  const l1Test = createTestClient({ mode: 'anvil', transport: http(chains.l1.rpcUrl) });

  return {
    chains,
    l1,
    l2,
    rollupConfigHash,
    startBlock: chains.startingBlock.blockNumber,
    async mineL2(count, withWithdrawals) {
      for (let i = 0; i < count; i++) {
        if (!withWithdrawals) {
          await l2Test.mine({ blocks: 1 });
          continue;
        }
        const hash = await l2Wallet.writeContract({
          address: messagePasserAddress,
          abi: l2ToL1MessagePasserAbi,
          functionName: 'initiateWithdrawal',
          args: [l2Wallet.account.address, 100_000n, '0xbeef'],
          value: parseGwei('1'),
        });
        await l2.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      }
      return l2.getBlockNumber({ cacheTime: 0 });
    },
    async mineL1(count) {
      await l1Test.mine({ blocks: count });
      return l1.getBlockNumber({ cacheTime: 0 });
    },
  };
}
