import type { Client } from 'viem';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { fetchBlockHeader } from '../../../lambdas/chain/l2-state/fetch-block-header.js';
import { HostInputError } from '../../zkvm/errors.js';

const FETCH_CONCURRENCY = 16n;

/** Fetches headers `from … to` (inclusive); throws `HostInputError` naming a block the node lacks. */
export async function fetchHeaderSpan(
  client: Client,
  chain: 'L1' | 'L2',
  from: bigint,
  to: bigint,
): Promise<RpcBlockHeader[]> {
  const headers: RpcBlockHeader[] = [];
  // Bounded concurrency: a long L1 span must not open hundreds of requests at once.
  for (let chunkStart = from; chunkStart <= to; chunkStart += FETCH_CONCURRENCY) {
    const numbers: bigint[] = [];
    for (let n = chunkStart; n <= to && n < chunkStart + FETCH_CONCURRENCY; n++) numbers.push(n);
    const fetched = await Promise.all(numbers.map((n) => fetchBlockHeader(client, chain, n)));
    fetched.forEach((header, index) => {
      if (header === undefined)
        throw new HostInputError(`${chain} block ${numbers[index]} not found on the RPC node`);
      headers.push(header);
    });
  }
  return headers;
}
