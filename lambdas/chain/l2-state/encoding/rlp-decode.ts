import { PipelineError } from '../../../core/errors.js';
import type { RlpItem } from './rlp.js';

/** Bytes that are not one canonical RLP item; the message says what and at which offset. */
export class RlpDecodeError extends PipelineError {
  override readonly name: string = 'RlpDecodeError';
  constructor(reason: string) {
    super(`invalid RLP: ${reason}`);
  }
}

/**
 * Decodes exactly one RLP item spanning all of `bytes`. Strict: non-canonical encodings (a single
 * byte below 0x80 with a prefix, long forms for short payloads, length prefixes with leading zeros)
 * and trailing bytes are refused, so one value has one encoding and hashes of decoded nodes are unique.
 *
 * @throws RlpDecodeError
 */
export function rlpDecode(bytes: Uint8Array): RlpItem {
  const [item, next] = decodeAt(bytes, 0);
  if (next !== bytes.length)
    throw new RlpDecodeError(`${bytes.length - next} trailing byte(s) after the item at offset ${next}`);
  return item;
}

function decodeAt(bytes: Uint8Array, offset: number): [RlpItem, number] {
  const prefix = bytes[offset];
  if (prefix === undefined) throw new RlpDecodeError(`input ends at offset ${offset}, expected an item`);
  if (prefix < 0x80) return [bytes.subarray(offset, offset + 1), offset + 1];
  const isList = prefix >= 0xc0;
  const base = isList ? 0xc0 : 0x80;
  const { start, length } = payloadBounds(bytes, offset, prefix - base);
  const end = start + length;
  if (end > bytes.length)
    throw new RlpDecodeError(
      `item at offset ${offset} claims ${length} bytes, only ${bytes.length - start} left`,
    );
  if (!isList) {
    if (length === 1 && (bytes[start] ?? 0) < 0x80)
      throw new RlpDecodeError(`single byte below 0x80 at offset ${offset} must not carry a prefix`);
    return [bytes.subarray(start, end), end];
  }
  const items: RlpItem[] = [];
  let cursor = start;
  while (cursor < end) {
    const [item, next] = decodeAt(bytes.subarray(0, end), cursor);
    items.push(item);
    cursor = next;
  }
  return [items, end];
}

/** Start and length of the payload after a prefix whose value above its base is `short`. */
function payloadBounds(bytes: Uint8Array, offset: number, short: number): { start: number; length: number } {
  if (short <= 55) return { start: offset + 1, length: short };
  const lengthOfLength = short - 55;
  const lengthBytes = bytes.subarray(offset + 1, offset + 1 + lengthOfLength);
  if (lengthBytes.length !== lengthOfLength)
    throw new RlpDecodeError(`length prefix at offset ${offset} is cut off`);
  if (lengthBytes[0] === 0) throw new RlpDecodeError(`length prefix at offset ${offset} has a leading zero`);
  let length = 0;
  for (const byte of lengthBytes) length = length * 256 + byte;
  if (length <= 55)
    throw new RlpDecodeError(`item at offset ${offset} uses the long form for ${length} bytes`);
  return { start: offset + 1 + lengthOfLength, length };
}
