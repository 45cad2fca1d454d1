import { type Address, createTestClient, type Hex, http, publicActions } from 'viem';
import { computeOutputRoot, type OutputRootAtBlock } from '../../lambdas/chain/compute-output-root.js';
import { messagePasserAddress } from '../../lambdas/chain/message-passer.js';
import { deployOracle } from './deploy-oracle.js';
import { devAccount, devAccountRoles } from './dev-accounts.js';
import { seedMessagePasser } from './seed-message-passer.js';
import { type AnvilInstance, startAnvil } from './start-anvil.js';
import { type L2Traffic, startL2Traffic } from './start-l2-traffic.js';

export interface StartDevChainsOptions {
  /** SP1 programs' keys and the rollup config hash the oracle's genesis config holds. */
  readonly aggregationVkey: Hex;
  readonly rangeVkeyCommitment: Hex;
  readonly rollupConfigHash: Hex;
  /** Oracle `submissionInterval` (L2 blocks). */
  readonly submissionInterval: number;
  /** @default 900 */
  readonly l1ChainId?: number;
  /** @default 901 */
  readonly l2ChainId?: number;
  /** 0 or undefined: a free port. */
  readonly l1Port?: number;
  readonly l2Port?: number;
  /** undefined: automine. */
  readonly l1BlockTimeSeconds?: number;
  readonly l2BlockTimeSeconds?: number;
  /** Oracle `l2BlockTime`. @default l2BlockTimeSeconds ?? 1 */
  readonly l2BlockTime?: number;
  /** @default [dev account 1] (the devnet proposer) */
  readonly proposers?: readonly Address[];
  /** Start the L2 traffic generator. @default true */
  readonly traffic?: boolean;
}

export interface DevChains {
  readonly l1: AnvilInstance;
  readonly l2: AnvilInstance;
  readonly oracleAddress: Address;
  readonly verifierAddress: Address;
  readonly messagePasser: Address;
  /** The L2 block the oracle starts from (output index 0) and its output root. */
  readonly startingBlock: OutputRootAtBlock;
  /** The traffic generator, when started. */
  readonly traffic: L2Traffic | undefined;
  /** Stops traffic and both nodes. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the local L1 (chain 900) and L2 (chain 901, `--optimism`) anvil nodes, seeds the message passer
 * predeploy on L2, mines the L2 block the oracle starts from, deploys the mock verifier and the oracle on
 * L1 (deployer: dev account 0) with that block's output root, and optionally starts L2 traffic.
 * On any failure everything started so far is stopped before the error propagates.
 *
 * @example
 * const chains = await startDevChains({ aggregationVkey, rangeVkeyCommitment, rollupConfigHash, submissionInterval: 10 });
 * try { ... } finally { await chains.stop(); }
 */
export async function startDevChains(options: StartDevChainsOptions): Promise<DevChains> {
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    const toStop = started.splice(0).reverse();
    for (const item of toStop) await item.stop();
  };
  try {
    const [l1, l2] = await Promise.all([
      startAnvil({
        chainId: options.l1ChainId ?? 900,
        ...(options.l1Port === undefined ? {} : { port: options.l1Port }),
        ...(options.l1BlockTimeSeconds === undefined ? {} : { blockTimeSeconds: options.l1BlockTimeSeconds }),
      }).then((node) => {
        started.push(node);
        return node;
      }),
      startAnvil({
        chainId: options.l2ChainId ?? 901,
        optimism: true,
        ...(options.l2Port === undefined ? {} : { port: options.l2Port }),
        ...(options.l2BlockTimeSeconds === undefined ? {} : { blockTimeSeconds: options.l2BlockTimeSeconds }),
      }).then((node) => {
        started.push(node);
        return node;
      }),
    ]);

    await seedMessagePasser(l2.rpcUrl);
    // The seeded code shows from the next block on: the oracle starts from a block that has it.
    const l2Test = createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).extend(publicActions);
    await l2Test.mine({ blocks: 1 });
    const startingBlock = await computeOutputRoot(l2Test, await l2Test.getBlockNumber({ cacheTime: 0 }));

    const { oracleAddress, verifierAddress } = await deployOracle({
      l1RpcUrl: l1.rpcUrl,
      deployer: devAccount(devAccountRoles.deployer),
      startingBlockNumber: startingBlock.blockNumber,
      startingOutputRoot: startingBlock.outputRoot,
      startingTimestamp: startingBlock.timestamp,
      submissionInterval: options.submissionInterval,
      l2BlockTime: options.l2BlockTime ?? options.l2BlockTimeSeconds ?? 1,
      aggregationVkey: options.aggregationVkey,
      rangeVkeyCommitment: options.rangeVkeyCommitment,
      rollupConfigHash: options.rollupConfigHash,
      proposers: options.proposers ?? [devAccount(devAccountRoles.proposer).address],
    });

    const traffic = options.traffic === false ? undefined : startL2Traffic({ l2RpcUrl: l2.rpcUrl });
    if (traffic !== undefined) started.push(traffic);

    return {
      l1,
      l2,
      oracleAddress,
      verifierAddress,
      messagePasser: messagePasserAddress,
      startingBlock,
      traffic,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
