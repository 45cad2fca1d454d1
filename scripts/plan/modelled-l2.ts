import { syntheticWord } from '../../devnet/instant-job-runner.js';
import type { L2Finality } from '../../lambdas/core/config/l2-finality.js';
import type { L2Block, L2BlockSource } from '../../lambdas/watcher/l2-block-source.js';
import type { ChainProfile } from './chain-profiles.js';

/**
 * The L2 chain on the virtual clock: block origin+k is produced k × blockSeconds after the start and
 * reaches the `safe` / `finalized` tag the profile's delay later. Hashes are synthetic and chained,
 * so the watcher's parent-hash check passes.
 */
export class ModelledL2 implements L2BlockSource {
  constructor(
    private readonly chain: ChainProfile,
    private readonly origin: bigint,
    private readonly startMs: number,
    private readonly nowMs: () => number,
  ) {}

  /** Seconds after the start at which the block `offset` blocks after the origin is produced. */
  producedAt(offset: number): number {
    return offset * this.chain.blockSeconds;
  }

  /** Seconds a block waits after production until `tag` covers it. */
  delaySeconds(tag: L2Finality): number {
    return tag === 'safe' ? this.chain.safeSeconds : this.chain.finalizedSeconds;
  }

  /** The newest block offset produced by now. */
  producedHead(): number {
    return Math.max(0, Math.floor((this.nowMs() - this.startMs) / 1000 / this.chain.blockSeconds));
  }

  async head(tag: L2Finality): Promise<L2Block> {
    const seconds = (this.nowMs() - this.startMs) / 1000 - this.delaySeconds(tag);
    const offset = Math.max(0, Math.floor(seconds / this.chain.blockSeconds));
    return this.block(this.origin + BigInt(offset));
  }

  async block(number: bigint): Promise<L2Block> {
    return {
      number,
      hash: syntheticWord(`block:${number}`),
      parentHash: syntheticWord(`block:${number - 1n}`),
      // The profile's mean gas for every block: a stage with maxGasPerRange cuts ranges by it.
      gasUsed: BigInt(this.chain.gasPerBlock),
    };
  }
}
