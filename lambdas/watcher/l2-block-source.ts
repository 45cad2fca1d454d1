import type { Block } from 'viem';
import type { BlockReadClient as PublicClient } from '../chain/block-read-client.js';
import type { L2Finality } from '../core/config/l2-finality.js';
import { PendingL2BlockError } from './errors.js';
import type { RpcRateLimiter } from './rpc-rate-limiter.js';

/** What the watcher needs to know of one L2 block (the provers read headers from the RPC themselves). */
export interface L2Block {
  readonly number: bigint;
  readonly hash: string;
  readonly parentHash: string;
  /** Gas the block's transactions used: what a range stage's gas cut (`maxGasPerRange`) reads. */
  readonly gasUsed: bigint;
}

/** Reads L2 blocks (an RPC client on AWS and locally; a fake in unit tests). */
export interface L2BlockSource {
  /** The block at the `finalized` or `safe` tag. */
  head(tag: L2Finality): Promise<L2Block>;
  block(number: bigint): Promise<L2Block>;
}

/** L2BlockSource over a viem public client, each call waiting for the rate limiter first. */
export function viemL2BlockSource(client: PublicClient, limiter: RpcRateLimiter): L2BlockSource {
  return {
    async head(tag) {
      await limiter.take();
      return toL2Block(await client.getBlock({ blockTag: tag }), `tag "${tag}"`);
    },
    async block(number) {
      await limiter.take();
      return toL2Block(await client.getBlock({ blockNumber: number }), `block ${number}`);
    },
  };
}

function toL2Block(block: Block, requested: string): L2Block {
  if (block.number === null || block.hash === null) throw new PendingL2BlockError(requested);
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, gasUsed: block.gasUsed };
}
