import { BaseError, BlockNotFoundError, type Hex } from 'viem';
import { sameHex } from '../chain/hex-bytes.js';
import { redactUrlsInText } from '../chain/redact-rpc-urls.js';
import { rangeResultSchema } from '../core/executor/range-contract.js';
import type { WaitingGroup } from '../core/orchestrator/proposer-gateway.js';
import { METRIC } from '../core/ports/telemetry.js';
import { L1FloorLookupError } from './errors.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Whether an aggregate group's ranges let it be checkpointed now. `ready`: every range `l1Head` is
 * canonical on L1, and `floor` is the newest of them (the aggregate program accepts a range only if
 * its `l1Head` lies in the L1 header chain ending at the checkpoint, so the checkpoint must be at
 * or after it). `reproving`: some ranges are being re-proven in place; `staleRanges` counts those
 * this call found gone from L1 (0 when it only waits for earlier re-proofs).
 */
export type RangesReadiness =
  | { readonly kind: 'ready'; readonly floor: bigint }
  | { readonly kind: 'reproving'; readonly reason: string; readonly staleRanges: number };

/**
 * Checks that every range `l1Head` of a waiting aggregate group is still canonical on L1 (the block
 * exists and is L1's block at its number). A range whose `l1Head` is gone (an L1 reorg since it was
 * proven) can be satisfied by no checkpoint: it is re-proven in place (`reproveMembers`, counted as
 * `ReorgWorkInvalidated{kind: proof}`) and the group waits, with the reason stored on it, until every
 * member is current again. Members already being re-proven are not looked up.
 *
 * @throws L1FloorLookupError when a lookup fails (RPC timeout, every endpoint down), naming the head:
 * that is not a reorg, and no checkpoint is taken this run.
 */
export async function rangesL1Floor(run: ProposerRunContext, group: WaitingGroup): Promise<RangesReadiness> {
  const { orchestrator, logger, metrics } = run.deps;
  const members = await orchestrator.waitingMembers(group, rangeResultSchema, 'range proof message');
  const ranges = members.payloads;
  const reproving = new Set(members.reproving);
  let floor = 0n;
  const gone: { readonly messageId: string; readonly l1Head: Hex }[] = [];
  for (const [i, range] of ranges.entries()) {
    const messageId = group.memberIds[i] ?? `member ${i}`;
    if (reproving.has(messageId)) continue;
    const l1Head = range.bootInfo.l1Head.toLowerCase() as Hex;
    const number = await canonicalL1Number(run, l1Head);
    if (number === undefined) gone.push({ messageId, l1Head });
    else if (number > floor) floor = number;
  }
  if (gone.length > 0) {
    const reason = `range proofs ${gone.map((g) => `${g.messageId} (l1Head ${g.l1Head})`).join(', ')} were proven against L1 blocks a reorg removed: re-proving them in place`;
    metrics.count(METRIC.reorgWorkInvalidated, gone.length, { kind: 'proof' });
    logger.warn('proposer: range l1Heads are no longer on L1 (reorged); re-proving those ranges', {
      groupId: group.id,
      ranges: gone.map((g) => g.messageId),
    });
    await orchestrator.reproveMembers({
      holderId: group.id,
      memberIds: gone.map((g) => g.messageId),
      reason,
    });
    return { kind: 'reproving', reason, staleRanges: gone.length };
  }
  if (reproving.size > 0) {
    const reason = `waiting for the re-proof of ${[...reproving].join(', ')} (their l1Head left L1)`;
    return { kind: 'reproving', reason, staleRanges: 0 };
  }
  return { kind: 'ready', floor };
}

/** The number of L1 block `blockHash` while it is canonical; undefined once a reorg removed it. */
async function canonicalL1Number(run: ProposerRunContext, blockHash: Hex): Promise<bigint | undefined> {
  const { l1, logger } = run.deps;
  try {
    const block = await l1.getBlock({ blockHash });
    if (block.number === null) return undefined;
    // A node may still serve a reorged block by hash: it is canonical only if it is L1's block at its number.
    const atNumber = await l1.getBlock({ blockNumber: block.number });
    return sameHex(atNumber.hash, blockHash) ? block.number : undefined;
  } catch (error) {
    if (!(error instanceof BlockNotFoundError)) {
      const said =
        error instanceof BaseError ? error.shortMessage : ((error as Error).message ?? String(error));
      throw new L1FloorLookupError(
        `proposer: could not look up range l1Head ${blockHash} on L1 to find the checkpoint floor (no checkpoint this run): ${redactUrlsInText(said)}`,
        { cause: error },
      );
    }
    logger.warn('proposer: a range l1Head is not on L1 (reorged since it was proven)', {
      l1Head: blockHash,
      error: error.shortMessage,
    });
    return undefined;
  }
}
