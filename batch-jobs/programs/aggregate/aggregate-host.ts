import type { Client } from 'viem';
import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import { fetchBlockHeader } from '../../../lambdas/chain/l2-state/fetch-block-header.js';
import type { AggregateRequest } from '../../../lambdas/core/executor/aggregate-contract.js';
import { HostInputError } from '../../zkvm/errors.js';
import type { Host } from '../../zkvm/host.js';
import { fetchHeaderSpan } from '../block-header/fetch-header-span.js';
import type { AggregateGuestInput } from './aggregate-guest-input.js';

/** Longest L1 header chain the host fetches (oldest range l1Head → checkpoint). */
export const MAX_L1_HEADER_SPAN = 8192n;

/**
 * Aggregate host: looks up the L1 blocks of the ranges' l1Heads and fetches the L1 headers from the
 * oldest one up to the checkpointed block. An l1Head the L1 node does not know is left for the guest
 * to reject (foreign l1Head), so the error names the range.
 */
export function createAggregateHost(deps: { l1: Client }): Host<AggregateRequest, AggregateGuestInput> {
  return {
    async prepareInput(request) {
      const checkpointNumber = BigInt(request.checkpoint.l1BlockNumber);
      const heads = await Promise.all(
        request.ranges.map((range) => fetchBlockHeader(deps.l1, 'L1', range.bootInfo.l1Head as Hex)),
      );
      const from = heads.reduce(
        (oldest, head) => (head !== undefined && BigInt(head.number) < oldest ? BigInt(head.number) : oldest),
        checkpointNumber,
      );
      if (checkpointNumber - from > MAX_L1_HEADER_SPAN) {
        throw new HostInputError(
          `the oldest range l1Head is L1 block ${from}, ${checkpointNumber - from} blocks before the checkpoint ` +
            `${checkpointNumber} (limit ${MAX_L1_HEADER_SPAN}); checkpoint an older L1 block or re-prove the ranges`,
        );
      }
      const l1Headers = await fetchHeaderSpan(deps.l1, 'L1', from, checkpointNumber);
      return {
        start: request.start,
        end: request.end,
        ranges: request.ranges.map((range) => ({
          start: range.start,
          end: range.end,
          bootInfo: range.bootInfo,
          publicValues: range.publicValues as Hex,
          proof: range.proof as Hex,
          vkey: range.vkey as Hex,
        })),
        rangeVkey: request.rangeVkey as Hex,
        checkpoint: {
          l1BlockNumber: request.checkpoint.l1BlockNumber,
          l1BlockHash: request.checkpoint.l1BlockHash as Hex,
        },
        l1Headers,
        proverAddress: request.proverAddress as Hex,
      };
    },
  };
}
