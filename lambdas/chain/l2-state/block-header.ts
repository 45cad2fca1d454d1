import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex, type Hex, toHex } from '../hex-bytes.js';
import { minimalBigEndian, rlpEncode } from './encoding/rlp.js';

/**
 * A block header as `eth_getBlockByNumber` returns it (hex strings), with the hash the node claims.
 * Fields after `nonce` exist from the fork that introduced them on: London (baseFeePerGas), Shanghai
 * (withdrawalsRoot), Cancun (blobGasUsed, excessBlobGas, parentBeaconBlockRoot), Prague (requestsHash).
 */
export interface RpcBlockHeader {
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
  difficulty: string;
  number: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  mixHash: string;
  nonce: string;
  baseFeePerGas?: string | undefined;
  withdrawalsRoot?: string | undefined;
  blobGasUsed?: string | undefined;
  excessBlobGas?: string | undefined;
  parentBeaconBlockRoot?: string | undefined;
  requestsHash?: string | undefined;
}

type FieldKind = 'bytes' | 'quantity';
type HeaderField = Exclude<keyof RpcBlockHeader, 'hash'>;

/** Header fields in consensus (RLP) order. */
const REQUIRED_FIELDS: readonly [HeaderField, FieldKind][] = [
  ['parentHash', 'bytes'],
  ['sha3Uncles', 'bytes'],
  ['miner', 'bytes'],
  ['stateRoot', 'bytes'],
  ['transactionsRoot', 'bytes'],
  ['receiptsRoot', 'bytes'],
  ['logsBloom', 'bytes'],
  ['difficulty', 'quantity'],
  ['number', 'quantity'],
  ['gasLimit', 'quantity'],
  ['gasUsed', 'quantity'],
  ['timestamp', 'quantity'],
  ['extraData', 'bytes'],
  ['mixHash', 'bytes'],
  ['nonce', 'bytes'],
];
const FORK_FIELDS: readonly [HeaderField, FieldKind][] = [
  ['baseFeePerGas', 'quantity'],
  ['withdrawalsRoot', 'bytes'],
  ['blobGasUsed', 'quantity'],
  ['excessBlobGas', 'quantity'],
  ['parentBeaconBlockRoot', 'bytes'],
  ['requestsHash', 'bytes'],
];

/** The consensus RLP encoding of a header: required fields, then the fork fields present (a prefix). */
function headerRlp(header: RpcBlockHeader): Uint8Array {
  const items: Uint8Array[] = REQUIRED_FIELDS.map(([field, kind]) => encodeField(header, field, kind));
  let missing: HeaderField | undefined;
  for (const [field, kind] of FORK_FIELDS) {
    if (header[field] === undefined || header[field] === null) {
      missing ??= field;
      continue;
    }
    if (missing !== undefined) {
      throw new TypeError(
        `block ${header.number}: header has ${field} but not the earlier fork field ${missing}`,
      );
    }
    items.push(encodeField(header, field, kind));
  }
  return rlpEncode(items);
}

/** keccak256 of the header RLP: the block hash. */
export function headerHash(header: RpcBlockHeader): Hex {
  return toHex(keccak_256(headerRlp(header)));
}

/** Block number of a header as bigint. */
export function headerNumber(header: RpcBlockHeader): bigint {
  return BigInt(header.number);
}

function encodeField(header: RpcBlockHeader, field: HeaderField, kind: FieldKind): Uint8Array {
  const value = header[field];
  if (typeof value !== 'string')
    throw new TypeError(`block ${header.number}: header field ${field} is missing`);
  if (kind === 'bytes') return fromHex(value, `block ${header.number} ${field}`);
  if (!/^0x[0-9a-fA-F]+$/.test(value))
    throw new TypeError(`block ${header.number}: ${field} is not a hex quantity`);
  return minimalBigEndian(BigInt(value));
}
