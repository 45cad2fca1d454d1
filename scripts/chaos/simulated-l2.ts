import { syntheticWord } from '../../devnet/instant-job-runner.js';
import type { L2Block, L2BlockSource } from '../../lambdas/watcher/l2-block-source.js';

/** A fork: every block above `ancestor` is of branch `branch` (until a later fork replaces it). */
interface Fork {
  readonly ancestor: bigint;
  readonly branch: number;
}

/**
 * The simulated L2 node the watcher reads: blocks up to `headNumber`, whose hashes depend on the
 * branch they are on, so a reorg above an ancestor gives every block above it a new hash. The
 * output root of a block derives from its hash (`outputRootOf`), so a proof of an old branch's
 * blocks claims an old-branch root, which the checker and the simulated proposer can tell apart.
 * Branch 0 has the hashes the simulator published before it had an L2 (`block:<n>`).
 */
export class SimulatedL2 implements L2BlockSource {
  private readonly forks: Fork[] = [];

  constructor(public headNumber: bigint) {}

  /** Reorganises the chain above `ancestor`: a new branch, its head at `head`. */
  reorg(ancestor: bigint, head: bigint): void {
    this.forks.push({ ancestor, branch: this.forks.length + 1 });
    this.headNumber = head;
  }

  /** Reorgs so far. */
  get reorgs(): number {
    return this.forks.length;
  }

  /** The canonical hash of block `n` now. */
  hash(n: bigint): string {
    const fork = this.forks.findLast((f) => n > f.ancestor);
    return syntheticWord(fork === undefined ? `block:${n}` : `block:${n}:branch-${fork.branch}`);
  }

  /** The canonical output root at block `n` now. */
  outputRoot(n: bigint): string {
    return outputRootOf(this.hash(n));
  }

  async head(): Promise<L2Block> {
    return this.block(this.headNumber);
  }

  async block(n: bigint): Promise<L2Block> {
    return { number: n, hash: this.hash(n), parentHash: this.hash(n - 1n), gasUsed: 21_000n };
  }
}

/** The synthetic output root of the block with hash `blockHash` (a root per branch, not per number). */
export function outputRootOf(blockHash: string): string {
  return syntheticWord(`output-root:${blockHash.toLowerCase()}`);
}
