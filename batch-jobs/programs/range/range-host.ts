import { readFile } from 'node:fs/promises';
import type { Client } from 'viem';
import { type Hex, sameHex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { fetchBlockHeader } from '../../../lambdas/chain/l2-state/fetch-block-header.js';
import { fetchMessagePasserProof } from '../../../lambdas/chain/l2-state/fetch-message-passer-proof.js';
import type { RangeRequest } from '../../../lambdas/core/executor/range-contract.js';
import { HostInputError } from '../../zkvm/errors.js';
import type { Host } from '../../zkvm/host.js';
import { fetchHeaderSpan } from '../block-header/fetch-header-span.js';
import type { RangeGuestInput } from './range-guest-input.js';

export interface RangeHostDeps {
  readonly l1: Client;
  readonly l2: Client;
  /** The committed rollup config file whose sha256 the request's `rollupConfigHash` must be. */
  readonly rollupConfigPath: string;
}

/**
 * Range host: fetches the L2 headers start … end, the L1 head (the request's `l1Head`, else the hash
 * of the L1 block `l1HeadDepth` below the latest) and the rollup config bytes; then the message-passer account proofs at the start
 * and end headers' block hashes, each checked against its header's stateRoot (so on a `safe` head that
 * moves, a proof cannot come from another block than its header). Checks the watcher-observed
 * `blocks` of the request against the fetched headers (reorg guard).
 */
export function createRangeHost(deps: RangeHostDeps): Host<RangeRequest, RangeGuestInput> {
  return {
    async prepareInput(request) {
      const start = BigInt(request.start);
      const end = BigInt(request.end);
      if (end <= start) throw new HostInputError(`range ${start}-${end}: end must be greater than start`);
      const [headers, l1Head, rollupConfig] = await Promise.all([
        fetchHeaderSpan(deps.l2, 'L2', start, end),
        request.l1Head === undefined
          ? l1HashAtDepth(deps.l1, BigInt(request.l1HeadDepth ?? 0))
          : Promise.resolve(request.l1Head as Hex),
        readFile(deps.rollupConfigPath),
      ]);
      checkObservedBlocks(request, headers);
      const preHeader = headers[0] as RpcBlockHeader;
      const postHeader = headers[headers.length - 1] as RpcBlockHeader;
      const [preProof, postProof] = await Promise.all([
        fetchMessagePasserProof(deps.l2, preHeader),
        fetchMessagePasserProof(deps.l2, postHeader),
      ]);
      return {
        start: request.start,
        end: request.end,
        l1Head,
        rollupConfigHash: request.rollupConfigHash as Hex,
        rollupConfig: toHex(rollupConfig),
        headers,
        preMessagePasserAccountProof: preProof.accountProof,
        postMessagePasserAccountProof: postProof.accountProof,
      };
    },
  };
}

/**
 * The hash of the L1 block `depth` below the latest one (block 0 on a younger chain): an `l1Head`
 * that deep is rarely removed by a tip reorg, so the aggregate rarely finds it gone.
 */
async function l1HashAtDepth(l1: Client, depth: bigint): Promise<Hex> {
  const head = await fetchBlockHeader(l1, 'L1', 'latest');
  if (head === undefined) throw new HostInputError('L1 RPC returned no latest block');
  const latest = BigInt(head.number);
  if (depth === 0n) return head.hash as Hex;
  const number = latest > depth ? latest - depth : 0n;
  const deep = await fetchBlockHeader(l1, 'L1', number);
  if (deep === undefined)
    throw new HostInputError(`L1 RPC returned no block ${number} (l1HeadDepth ${depth})`);
  return deep.hash as Hex;
}

function checkObservedBlocks(request: RangeRequest, headers: readonly RpcBlockHeader[]): void {
  const start = BigInt(request.start);
  for (const observed of request.blocks ?? []) {
    const header = headers[Number(BigInt(observed.number) - start)];
    if (header === undefined || BigInt(header.number) !== BigInt(observed.number)) {
      throw new HostInputError(
        `range ${request.start}-${request.end}: observed block ${observed.number} lies outside blocks ${request.start}…${request.end}`,
      );
    }
    if (!sameHex(header.hash, observed.hash) || !sameHex(header.parentHash, observed.parentHash)) {
      throw new HostInputError(
        `L2 block ${observed.number}: the watcher saw hash ${observed.hash} (parent ${observed.parentHash}) ` +
          `but the node now has ${header.hash} (parent ${header.parentHash}); the chain reorganised, re-collect the range`,
      );
    }
  }
}
