import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** A `0x`-prefixed hex string. Guests keep every value in this form, so inputs stay plain JSON. */
export type Hex = `0x${string}`;

/** Decodes `0x`-prefixed hex (even length) to bytes; `what` names the value in the error. */
export function fromHex(value: string, what: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(value))
    throw new TypeError(`${what} is not 0x-prefixed hex bytes (got ${value})`);
  return hexToBytes(value.slice(2));
}

/** Encodes bytes as lower-case `0x`-prefixed hex. */
export function toHex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(bytes)}`;
}

/** Case-insensitive equality of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
