import { concatBytes } from '@noble/hashes/utils.js';
import { fromHex, type Hex, toHex } from '../../../lambdas/chain/hex-bytes.js';

/**
 * A static ABI word: a bytes32 hex, an address (left-padded) or an unsigned integer. Every field of
 * BootInfo and AggregationOutputs is static, so `abi.encode(struct)` is the concatenation of words.
 */
export type AbiWord = { bytes32: string } | { address: string } | { uint: bigint };

/** `abi.encode` of a tuple of static words. */
export function encodeStaticWords(words: readonly AbiWord[]): Hex {
  return toHex(concatBytes(...words.map(encodeWord)));
}

/** Splits ABI-encoded static data into 32-byte words; the error names `what` and the length found. */
export function splitStaticWords(data: string, count: number, what: string): Uint8Array[] {
  const bytes = fromHex(data, what);
  if (bytes.length !== count * 32) {
    throw new TypeError(
      `${what} must be ${count} ABI words (${count * 32} bytes), got ${bytes.length} bytes`,
    );
  }
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * 32, i * 32 + 32));
}

/** Reads a word as an unsigned integer. */
export function wordToUint(word: Uint8Array): bigint {
  return BigInt(toHex(word));
}

/** Reads a word as an address (the low 20 bytes). */
export function wordToAddress(word: Uint8Array): Hex {
  return toHex(word.subarray(12));
}

function encodeWord(word: AbiWord): Uint8Array {
  if ('bytes32' in word) {
    const bytes = fromHex(word.bytes32, 'bytes32 word');
    if (bytes.length !== 32) throw new TypeError(`bytes32 word must be 32 bytes, got ${bytes.length}`);
    return bytes;
  }
  const out = new Uint8Array(32);
  if ('address' in word) {
    const bytes = fromHex(word.address, 'address word');
    if (bytes.length !== 20) throw new TypeError(`address word must be 20 bytes, got ${bytes.length}`);
    out.set(bytes, 12);
    return out;
  }
  if (word.uint < 0n || word.uint >= 1n << 256n)
    throw new RangeError(`uint256 word out of range: ${word.uint}`);
  out.set(fromHex(`0x${word.uint.toString(16).padStart(64, '0')}`, 'uint word'));
  return out;
}
