import { type Client, numberToHex } from 'viem';
import { describeIssues } from '../../core/schema/schema-issues.js';
import type { RpcBlockHeader } from './block-header.js';
import { RpcAnswerError } from './rpc-answer-error.js';
import { rpcBlockHeaderSchema, toRpcBlockHeader } from './rpc-block-header-schema.js';

/**
 * Fetches a raw header with `eth_getBlockByNumber` (or `eth_getBlockByHash`), keeping the hex fields
 * as the node sent them so the guest can re-hash them. Returns `undefined` when the node has no such
 * block.
 */
export async function fetchBlockHeader(
  client: Client,
  chain: 'L1' | 'L2',
  block: bigint | `0x${string}` | 'latest',
): Promise<RpcBlockHeader | undefined> {
  const raw: unknown =
    typeof block === 'string' && block.length === 66
      ? await client.request({ method: 'eth_getBlockByHash', params: [block as `0x${string}`, false] })
      : await client.request({
          method: 'eth_getBlockByNumber',
          params: [typeof block === 'bigint' ? numberToHex(block) : 'latest', false],
        });
  if (raw === null || raw === undefined) return undefined;
  const parsed = rpcBlockHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error, raw).join('; ');
    throw new RpcAnswerError(`${chain} block ${String(block)}: unexpected eth_getBlock answer: ${issues}`);
  }
  return toRpcBlockHeader(parsed.data);
}
