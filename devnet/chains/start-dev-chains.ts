import { readFileSync } from 'node:fs';
import { type Address, createPublicClient, createTestClient, type Hex, http, publicActions } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import {
  computeOutputRoot,
  type OutputRootAtBlock,
} from '../../lambdas/chain/l2-state/compute-output-root.js';
import { messagePasserAddress } from '../../lambdas/chain/l2-state/message-passer.js';
import { deployOracle } from './deploy-oracle.js';
import { devAccount, devAccountRoles } from './dev-accounts.js';
import { DevChainError } from './errors.js';
import { seedMessagePasser } from './seed-message-passer.js';
import { type AnvilInstance, startAnvil } from './start-anvil.js';
import { type L2Traffic, startL2Traffic } from './start-l2-traffic.js';

/** How far the dev L1 clock runs ahead of the wall clock (and so of L2 blocks mined in real time). */
export const L1_CLOCK_LEAD_SECONDS = 3_600;

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
  /**
   * Persist the chains in these files (`StartAnvilOptions.stateFile`); a later `resumeDevChains` with the
   * same files continues them. undefined: in memory only.
   */
  readonly l1StateFile?: string;
  readonly l2StateFile?: string;
  /** Seconds between periodic writes of the state files. @default 5 */
  readonly stateIntervalSeconds?: number;
  /** Told each start-up phase as it is reached (`npm run bench:lag -- --timings`). */
  readonly onPhase?: (phase: string) => void;
}

/** Continues chains that `startDevChains` persisted (`l1StateFile`, `l2StateFile`). */
export interface ResumeDevChainsOptions {
  readonly l1StateFile: string;
  readonly l2StateFile: string;
  /** Where the oracle was deployed (the manifest of the first run). */
  readonly oracleAddress: Address;
  readonly verifierAddress: Address;
  /** The oracle's starting output (`DevChains.startingBlock` of the first run). */
  readonly startingBlock: OutputRootAtBlock;
  readonly l1ChainId: number;
  readonly l2ChainId: number;
  /** 0 or undefined: a free port. */
  readonly l1Port?: number;
  readonly l2Port?: number;
  /** undefined: automine. */
  readonly l1BlockTimeSeconds?: number;
  readonly l2BlockTimeSeconds?: number;
  /** @default 5 */
  readonly stateIntervalSeconds?: number;
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
  return startAnvilPair(
    { ...options, l1ChainId: options.l1ChainId ?? 900, l2ChainId: options.l2ChainId ?? 901 },
    async (l1, l2) => {
      options.onPhase?.('L1 and L2 anvil answer');
      await seedMessagePasser(l2.rpcUrl);
      // The seeded code shows from the next block on: the oracle starts from a block that has it.
      const l2Test = createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).extend(publicActions);
      await l2Test.mine({ blocks: 1 });
      const startingBlock = await computeOutputRoot(l2Test, await l2Test.getBlockNumber({ cacheTime: 0 }));
      options.onPhase?.(`starting L2 block ${startingBlock.blockNumber} mined`);
      // Tests mine L2 blocks in bursts (1 s apart) far ahead of the wall clock, where real L2 blocks lag
      // it; with the L1 clock ahead by L1_CLOCK_LEAD_SECONDS those blocks are in the past for the
      // oracle's "cannot propose L2 output in the future" check, as a real chain's would be.
      await createTestClient({ mode: 'anvil', transport: http(l1.rpcUrl) }).increaseTime({
        seconds: L1_CLOCK_LEAD_SECONDS,
      });

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
        mineEachTransaction: options.l1BlockTimeSeconds !== undefined,
      });
      options.onPhase?.('oracle deployed');
      return { oracleAddress, verifierAddress, startingBlock };
    },
  );
}

/** What starting and resuming the chains have in common. */
interface AnvilPairOptions {
  readonly l1ChainId: number;
  readonly l2ChainId: number;
  readonly l1Port?: number;
  readonly l2Port?: number;
  readonly l1BlockTimeSeconds?: number;
  readonly l2BlockTimeSeconds?: number;
  readonly l1StateFile?: string;
  readonly l2StateFile?: string;
  readonly stateIntervalSeconds?: number;
  readonly traffic?: boolean;
}

/**
 * Starts L1 and L2 anvil, runs `setUp` on them (seed and deploy, or check what was restored), then L2
 * traffic. On any failure everything started so far is stopped before the error propagates.
 */
async function startAnvilPair(
  options: AnvilPairOptions,
  setUp: (
    l1: AnvilInstance,
    l2: AnvilInstance,
  ) => Promise<Pick<DevChains, 'oracleAddress' | 'verifierAddress' | 'startingBlock'>>,
): Promise<DevChains> {
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    const toStop = started.splice(0).reverse();
    for (const item of toStop) await item.stop();
  };
  const startNode = async (node: Promise<AnvilInstance>): Promise<AnvilInstance> => {
    const instance = await node;
    started.push(instance);
    return instance;
  };
  try {
    const [l1, l2] = await Promise.all([
      startNode(
        startAnvil({
          chainId: options.l1ChainId,
          ...(options.l1Port === undefined ? {} : { port: options.l1Port }),
          ...(options.l1BlockTimeSeconds === undefined
            ? {}
            : { blockTimeSeconds: options.l1BlockTimeSeconds }),
          ...persistence(options.l1StateFile, options.stateIntervalSeconds),
        }),
      ),
      startNode(
        startAnvil({
          chainId: options.l2ChainId,
          optimism: true,
          ...(options.l2Port === undefined ? {} : { port: options.l2Port }),
          ...(options.l2BlockTimeSeconds === undefined
            ? {}
            : { blockTimeSeconds: options.l2BlockTimeSeconds }),
          ...persistence(options.l2StateFile, options.stateIntervalSeconds),
        }),
      ),
    ]);
    const contracts = await setUp(l1, l2);
    const traffic = options.traffic === false ? undefined : startL2Traffic({ l2RpcUrl: l2.rpcUrl });
    if (traffic !== undefined) started.push(traffic);
    return { l1, l2, ...contracts, messagePasser: messagePasserAddress, traffic, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function persistence(
  stateFile: string | undefined,
  stateIntervalSeconds: number | undefined,
): { stateFile?: string; stateIntervalSeconds?: number } {
  if (stateFile === undefined) return {};
  return stateIntervalSeconds === undefined ? { stateFile } : { stateFile, stateIntervalSeconds };
}

/**
 * Continues persisted dev chains: starts L1 and L2 anvil from their state files (block numbers,
 * timestamps, contracts and balances as they were saved) and L2 traffic, without seeding or deploying.
 * Checks that the oracle and the verifier have code on the restored L1, that the oracle's starting output
 * (index 0) is `startingBlock`, and that the restored L2 holds that block (same hash).
 *
 * @throws DevChainError when a state file is missing or unreadable, or the restored chains do not hold
 * that oracle and starting block (the state belongs to other chains); everything started is stopped first.
 */
export async function resumeDevChains(options: ResumeDevChainsOptions): Promise<DevChains> {
  for (const file of [options.l1StateFile, options.l2StateFile]) assertReadableStateFile(file);
  return startAnvilPair(options, async (l1, l2) => {
    const l1Client = createPublicClient({ transport: http(l1.rpcUrl) });
    for (const [what, address] of [
      ['oracle', options.oracleAddress],
      ['verifier', options.verifierAddress],
    ] as const) {
      const code = await l1Client.getCode({ address });
      if (code === undefined || code === '0x') {
        throw new DevChainError(`the restored L1 has no ${what} code at ${address}`, {
          details: `state file ${options.l1StateFile} (block ${await l1Client.getBlockNumber({ cacheTime: 0 })})`,
        });
      }
    }
    await assertOracleStartsAt(l1Client, options.oracleAddress, options.startingBlock, options.l1StateFile);
    const l2Client = createPublicClient({ transport: http(l2.rpcUrl) });
    const block = await l2Client
      .getBlock({ blockNumber: options.startingBlock.blockNumber })
      .catch(() => undefined);
    if (block?.hash !== options.startingBlock.blockHash) {
      throw new DevChainError(
        `the restored L2 does not hold the oracle's starting block ${options.startingBlock.blockNumber}`,
        {
          details: `expected hash ${options.startingBlock.blockHash}, got ${block?.hash}; ${options.l2StateFile}`,
        },
      );
    }
    return {
      oracleAddress: options.oracleAddress,
      verifierAddress: options.verifierAddress,
      startingBlock: options.startingBlock,
    };
  });
}

async function assertOracleStartsAt(
  l1: ReturnType<typeof createPublicClient>,
  oracle: Address,
  startingBlock: OutputRootAtBlock,
  l1StateFile: string,
): Promise<void> {
  const starting = await l1.readContract({
    address: oracle,
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'getL2Output',
    args: [0n],
  });
  if (
    starting.l2BlockNumber !== startingBlock.blockNumber ||
    starting.outputRoot !== startingBlock.outputRoot
  ) {
    throw new DevChainError(`the oracle at ${oracle} on the restored L1 starts from another output`, {
      details: `oracle: block ${starting.l2BlockNumber} root ${starting.outputRoot}; expected block ${startingBlock.blockNumber} root ${startingBlock.outputRoot}; ${l1StateFile}`,
    });
  }
}

function assertReadableStateFile(file: string): void {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DevChainError(`no chain state file ${file}`, { cause });
  }
  try {
    JSON.parse(raw);
  } catch (cause) {
    throw new DevChainError(`chain state file ${file} is not valid JSON (written when the process died?)`, {
      cause,
    });
  }
}
