import { type Client, numberToHex } from 'viem';
import { describeIssues } from '../../core/schema/schema-issues.js';
import { sameHex } from '../hex-bytes.js';
import { headerHash, type RpcBlockHeader } from './block-header.js';
import { RpcAnswerError } from './rpc-answer-error.js';
import { rpcBlockHeaderSchema, toRpcBlockHeader } from './rpc-block-header-schema.js';

/**
 * Fetches a raw header with `eth_getBlockByNumber` (or `eth_getBlockByHash`), keeping the hex fields
 * as the node sent them so the guest can re-hash them. Returns `undefined` when the node has no such
 * block.
 *
 * @throws RpcAnswerError when the answer is malformed, is another block, or does not hash to its
 * own `hash` (a garbled answer, reported by provers as an infrastructure failure).
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
  const header = toRpcBlockHeader(parsed.data);
  checkAnswerIsTheBlock(chain, block, header);
  return header;
}

/** The answer is the block asked for and hashes to the hash it claims, else `RpcAnswerError`. */
function checkAnswerIsTheBlock(
  chain: 'L1' | 'L2',
  block: bigint | `0x${string}` | 'latest',
  header: RpcBlockHeader,
): void {
  const where = `${chain} block ${String(block)}`;
  if (typeof block === 'bigint' && BigInt(header.number) !== block)
    throw new RpcAnswerError(`${where}: the node answered with block ${BigInt(header.number)}`);
  if (typeof block === 'string' && block.length === 66 && !sameHex(header.hash, block))
    throw new RpcAnswerError(`${where}: the node answered with block hash ${header.hash}`);
  const hash = headerHash(header);
  if (!sameHex(hash, header.hash))
    throw new RpcAnswerError(
      `${where}: the header the node sent hashes to ${hash}, not to the hash ${header.hash} it claims (garbled answer)`,
    );
}
