import * as z from 'zod';
import { hexBytes as bytes } from '../../core/schema/primitives.js';
import type { RpcBlockHeader } from './block-header.js';

const quantity = z.string().regex(/^0x[0-9a-fA-F]+$/, 'a 0x-prefixed hex quantity');

/** An `eth_getBlockByNumber` answer, reduced to the header fields the programs hash. */
export const rpcBlockHeaderSchema = z.object({
  hash: bytes,
  parentHash: bytes,
  sha3Uncles: bytes,
  miner: bytes,
  stateRoot: bytes,
  transactionsRoot: bytes,
  receiptsRoot: bytes,
  logsBloom: bytes,
  difficulty: quantity,
  number: quantity,
  gasLimit: quantity,
  gasUsed: quantity,
  timestamp: quantity,
  extraData: bytes,
  mixHash: bytes,
  nonce: bytes,
  baseFeePerGas: quantity.optional(),
  withdrawalsRoot: bytes.optional(),
  blobGasUsed: quantity.optional(),
  excessBlobGas: quantity.optional(),
  parentBeaconBlockRoot: bytes.optional(),
  requestsHash: bytes.optional(),
});

const HEADER_FIELDS = Object.keys(rpcBlockHeaderSchema.shape) as (keyof RpcBlockHeader)[];

/** Keeps only header fields (drops transactions, size, totalDifficulty, …) so guest inputs stay small. */
export function toRpcBlockHeader(parsed: z.output<typeof rpcBlockHeaderSchema>): RpcBlockHeader {
  const header: Record<string, string> = {};
  for (const field of HEADER_FIELDS) {
    const value = parsed[field];
    if (value !== undefined) header[field] = value;
  }
  return header as unknown as RpcBlockHeader;
}
