import { BaseError, BlockNotFoundError, type Hex } from 'viem';
import { redactUrlsInText } from '../chain/redact-rpc-urls.js';
import { rangeResultSchema } from '../core/executor/range-contract.js';
import type { WaitingGroup } from '../core/orchestrator/proposer-gateway.js';
import { L1FloorLookupError } from './errors.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * The lowest L1 block a checkpoint may have for these aggregate groups: the aggregate program
 * accepts a range only if its `l1Head` lies in the L1 header chain that ends at the checkpoint, so
 * the checkpoint must be at or after the newest `l1Head` of every waiting group's ranges.
 *
 * A range whose `l1Head` is no longer on L1 (the node has no such block: an L1 reorg since it was
 * proven) cannot be satisfied by any checkpoint; it is logged and left for the aggregate program to
 * refuse by name. Any other failure of the lookup is not a reorg and the floor cannot be known.
 *
 * @throws L1FloorLookupError when a lookup fails (RPC timeout, every endpoint down), naming the head.
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
      if (!(error instanceof BlockNotFoundError)) {
        const said =
          error instanceof BaseError ? error.shortMessage : ((error as Error).message ?? String(error));
        const what = redactUrlsInText(said);
        throw new L1FloorLookupError(
          `proposer: could not look up range l1Head ${blockHash} on L1 to find the checkpoint floor (no checkpoint this run): ${what}`,
          { cause: error },
        );
      }
      logger.warn('proposer: a range l1Head is not on L1 (reorged since it was proven)', {
        l1Head: blockHash,
        error: error.shortMessage,
      });
    }
  }
  return floor;
}
