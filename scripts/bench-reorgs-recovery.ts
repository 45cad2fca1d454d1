import { setTimeout as sleep } from 'node:timers/promises';
import { createPublicClient, type Hex, http, type PublicClient } from 'viem';
import { reorgChain } from '../devnet/chains/reorg-chain.js';
import type { DevnetManifest } from '../devnet/runtime/devnet-manifest.js';
import type { LocalPipeline } from '../devnet/runtime/local-pipeline.js';
import { formatProgress } from '../devnet/runtime/pipeline-progress.js';
import type { ReorgedChain } from '../devnet/runtime/reorg-injector.js';
import { opSuccinctL2OutputOracleAbi } from '../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../lambdas/chain/l2-state/compute-output-root.js';

/** What one injected reorg cost: how long until the oracle held a canonical proposal again. */
export interface ReorgRecovery {
  readonly chain: ReorgedChain;
  readonly depth: number;
  /** The head height the reorg replaced, with its hash before and after. */
  readonly height: string;
  readonly oldHash: Hex;
  readonly newHash: Hex;
  /** The oracle's latest L2 block just after the reorg (an L1 reorg may have taken proposals away). */
  readonly proposedAtReorg: string;
  /** Seconds from the reorg to the next proposal whose root is the canonical L2's; undefined: none. */
  readonly recoverySeconds: number | undefined;
  /** The proposal that ended the wait, when one did. */
  readonly recoveredAt: { readonly l2Block: string; readonly outputRoot: Hex } | undefined;
  /** Where it stopped without recovering (timeout, wrong root): what the pipeline showed last. */
  readonly stoppedAt: string | undefined;
}

/**
 * Injects one reorg of `chain` (`depth` blocks at its tip) into a running local pipeline, then polls
 * the oracle every half second until its latest output is above what it held right after the reorg
 * (for an L2 reorg: at or above the replaced head, so the new proposal covers the replaced blocks) and
 * that output's root is the L2's at that block as the L2 is now. A proposal with another root, or the
 * timeout, ends the wait without a recovery time and says where the pipeline was.
 */
export async function measureReorgRecovery(options: {
  readonly pipeline: LocalPipeline;
  readonly manifest: DevnetManifest;
  readonly chain: ReorgedChain;
  readonly depth: number;
  readonly timeoutMs: number;
}): Promise<ReorgRecovery> {
  const { manifest, chain, depth } = options;
  const l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) }) as PublicClient;
  const l2 = createPublicClient({ transport: http(manifest.l2.rpcUrl) }) as PublicClient;
  const reorg = await reorgChain(chain === 'l1' ? manifest.l1.rpcUrl : manifest.l2.rpcUrl, depth);
  const reorgedAt = Date.now();
  const proposedAtReorg = (await latestOutput(l1, manifest)).l2BlockNumber;
  const floor = chain === 'l2' && reorg.height > proposedAtReorg ? reorg.height : proposedAtReorg + 1n;
  const base = {
    chain,
    depth,
    height: reorg.height.toString(),
    oldHash: reorg.oldHash,
    newHash: reorg.newHash,
    proposedAtReorg: proposedAtReorg.toString(),
  };
  const deadline = reorgedAt + options.timeoutMs;
  while (Date.now() < deadline) {
    await sleep(500);
    const latest = await latestOutput(l1, manifest);
    if (latest.l2BlockNumber < floor) continue;
    const { outputRoot } = await computeOutputRoot(l2, latest.l2BlockNumber);
    const recoveredAt = { l2Block: latest.l2BlockNumber.toString(), outputRoot: latest.outputRoot };
    if (outputRoot !== latest.outputRoot) {
      return {
        ...base,
        recoverySeconds: undefined,
        recoveredAt: undefined,
        stoppedAt: `proposal at L2 block ${latest.l2BlockNumber} holds root ${latest.outputRoot}, the canonical L2's is ${outputRoot}`,
      };
    }
    return { ...base, recoverySeconds: (Date.now() - reorgedAt) / 1000, recoveredAt, stoppedAt: undefined };
  }
  return {
    ...base,
    recoverySeconds: undefined,
    recoveredAt: undefined,
    stoppedAt: `no proposal at or above L2 block ${floor} within ${options.timeoutMs / 1000} s; ${formatProgress(await options.pipeline.progress())}`,
  };
}

async function latestOutput(
  l1: PublicClient,
  manifest: DevnetManifest,
): Promise<{ l2BlockNumber: bigint; outputRoot: Hex }> {
  const address = manifest.contracts.l2OutputOracle;
  const index = await l1.readContract({
    address,
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'latestOutputIndex',
  });
  return l1.readContract({
    address,
    abi: opSuccinctL2OutputOracleAbi,
    functionName: 'getL2Output',
    args: [index],
  });
}
