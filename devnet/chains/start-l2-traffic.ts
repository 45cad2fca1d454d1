import { type Address, createPublicClient, createWalletClient, http, parseGwei } from 'viem';
import { l2ToL1MessagePasserAbi } from '../../lambdas/chain/abi/L2ToL1MessagePasser.generated.js';
import { messagePasserAddress } from '../../lambdas/chain/l2-state/message-passer.js';
import { devAccount, devAccountRoles } from './dev-accounts.js';
import { localChain } from './local-chain.js';

export interface StartL2TrafficOptions {
  readonly l2RpcUrl: string;
  /** Dev accounts that send (never 0-2: deployer and proposer use those). @default [5, 6, 7, 8, 9] */
  readonly accountIndexes?: readonly number[];
  /** How often to look for a new head. @default 250 */
  readonly pollIntervalMs?: number;
}

export interface L2TrafficCounts {
  readonly transfers: number;
  readonly withdrawals: number;
  /** RPC or send failures (tolerated: the loop carries on). */
  readonly errors: number;
}

export interface L2Traffic {
  /** What was sent so far. */
  counts(): L2TrafficCounts;
  /** Stops the loop and waits for the sends in flight. Idempotent. */
  stop(): Promise<void>;
}

const transferTarget: Address = '0x000000000000000000000000000000000000dEaD';

/**
 * Sends one ETH transfer and one `initiateWithdrawal` to the message passer for every new L2 head, from
 * the traffic dev accounts in turn, so that blocks carry transactions and the message passer's storage
 * root keeps changing. With automine (no block time) every poll sends, since the sends mine blocks.
 */
export function startL2Traffic(options: StartL2TrafficOptions): L2Traffic {
  const indexes = options.accountIndexes ?? devAccountRoles.traffic;
  if (indexes.length < 2 || indexes.some((i) => i <= devAccountRoles.spareSigner)) {
    throw new RangeError(`traffic needs two or more dev accounts above index 2, got [${indexes.join(', ')}]`);
  }
  const transport = http(options.l2RpcUrl, { timeout: 5_000, retryCount: 0 });
  const publicClient = createPublicClient({ transport });
  const wallets = indexes.map((i) => createWalletClient({ account: devAccount(i), transport }));
  let counts = { transfers: 0, withdrawals: 0, errors: 0 };
  let stopped = false;
  let lastHead = -1n;
  let turn = 0;
  let chainReady: Promise<ReturnType<typeof localChain>> | undefined;

  const tick = async (): Promise<void> => {
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    if (head <= lastHead) return;
    lastHead = head;
    chainReady ??= publicClient.getChainId().then((id) => localChain(id, options.l2RpcUrl));
    const chain = await chainReady;
    const sender = wallets[turn % wallets.length]!;
    const withdrawer = wallets[(turn + 1) % wallets.length]!;
    turn += 2;
    const results = await Promise.allSettled([
      sender.sendTransaction({ chain, to: transferTarget, value: parseGwei('1'), gas: 21_000n }),
      withdrawer.writeContract({
        chain,
        address: messagePasserAddress,
        abi: l2ToL1MessagePasserAbi,
        functionName: 'initiateWithdrawal',
        args: [withdrawer.account.address, 100_000n, '0x'],
        value: parseGwei('1'),
        gas: 200_000n,
      }),
    ]);
    counts = {
      transfers: counts.transfers + (results[0].status === 'fulfilled' ? 1 : 0),
      withdrawals: counts.withdrawals + (results[1].status === 'fulfilled' ? 1 : 0),
      errors: counts.errors + results.filter((r) => r.status === 'rejected').length,
    };
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch {
        counts = { ...counts, errors: counts.errors + 1 };
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 250));
    }
  })();

  return {
    counts: () => counts,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
