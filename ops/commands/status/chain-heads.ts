import type { ChainClient } from '../../../lambdas/chain/chain-client.js';

/** An L2 block as the status shows it. */
export interface L2BlockAt {
  readonly block: bigint;
  /** Unix seconds of the block. */
  readonly timestamp: bigint;
}

/** The L2's latest, safe and finalized heads (an L2 without the safe/finalized tags reports latest). */
export interface L2Heads {
  readonly latest: L2BlockAt;
  readonly safe: L2BlockAt;
  readonly finalized: L2BlockAt;
}

/** Reads the three L2 heads in parallel. */
export async function readL2Heads(l2: ChainClient): Promise<L2Heads> {
  const at = async (blockTag: 'latest' | 'safe' | 'finalized'): Promise<L2BlockAt> => {
    const block = await l2.getBlock({ blockTag });
    return { block: block.number, timestamp: block.timestamp };
  };
  const [latest, safe, finalized] = await Promise.all([at('latest'), at('safe'), at('finalized')]);
  return { latest, safe, finalized };
}

/** How far a pipeline head trails the L2's latest block. */
export interface HeadLag {
  readonly name: string;
  /** Undefined when the head is not known yet (no watcher run, no succeeded group, no oracle). */
  readonly block: bigint | undefined;
  readonly lagBlocks: bigint | undefined;
  /** The L2 latest block's time minus the head block's time. */
  readonly lagSeconds: bigint | undefined;
}

/** The lag of each named head behind `latest`, reading each head block's timestamp. */
export async function headLags(
  l2: ChainClient,
  latest: L2BlockAt,
  heads: readonly { readonly name: string; readonly block: bigint | undefined }[],
): Promise<HeadLag[]> {
  return Promise.all(
    heads.map(async ({ name, block }) => {
      if (block === undefined) return { name, block, lagBlocks: undefined, lagSeconds: undefined };
      const head = block > latest.block ? latest : await l2.getBlock({ blockNumber: block });
      return {
        name,
        block,
        lagBlocks: latest.block - block,
        lagSeconds: latest.timestamp - head.timestamp,
      };
    }),
  );
}
