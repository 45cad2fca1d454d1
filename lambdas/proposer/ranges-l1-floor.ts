import type { Hex } from 'viem';
import { rangeResultSchema } from '../core/executor/range-contract.js';
import type { WaitingGroup } from '../core/orchestrator/proposer-gateway.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * The lowest L1 block a checkpoint may have for these aggregate groups: the aggregate program
 * accepts a range only if its `l1Head` lies in the L1 header chain that ends at the checkpoint, so
 * the checkpoint must be at or after the newest `l1Head` of every waiting group's ranges.
 *
 * A range whose `l1Head` is no longer on L1 (an L1 reorg since it was proven) cannot be satisfied by
 * any checkpoint; it is logged and left for the aggregate program to refuse by name.
 */
export async function rangesL1Floor(
  run: ProposerRunContext,
  groups: readonly WaitingGroup[],
): Promise<bigint> {
  const { orchestrator, l1, logger } = run.deps;
  const heads = new Set<Hex>();
  for (const group of groups) {
    const ranges = await orchestrator.memberPayloads(group, rangeResultSchema, 'range proof message');
    for (const range of ranges) heads.add(range.bootInfo.l1Head.toLowerCase() as Hex);
  }
  let floor = 0n;
  for (const blockHash of heads) {
    try {
      const block = await l1.getBlock({ blockHash });
      if (block.number !== null && block.number > floor) floor = block.number;
    } catch (error) {
      logger.warn('proposer: a range l1Head is not on L1 (reorged since it was proven)', {
        l1Head: blockHash,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return floor;
}
