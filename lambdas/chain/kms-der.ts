import { PipelineError } from '../core/errors.js';

/** A KMS answer (public key or signature) that is not the DER structure secp256k1 keys produce. */
export class KmsDerError extends PipelineError {
  override readonly name: string = 'KmsDerError';
}

interface DerElement {
  readonly tag: number;
  /** First byte of the content. */
  readonly start: number;
  /** One past the last byte of the content. */
  readonly end: number;
}

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_SEQUENCE = 0x30;
/** OID 1.3.132.0.10 (secp256k1), DER-encoded with its tag and length. */
const SECP256K1_OID = Uint8Array.of(0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a);

function readElement(bytes: Uint8Array, offset: number, what: string): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined)
    throw new KmsDerError(`${what}: truncated DER at byte ${offset}`);
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4)
      throw new KmsDerError(`${what}: unsupported DER length form at ${offset}`);
    length = 0;
    for (let i = 0; i < lengthBytes; i++) {
      const b = bytes[start + i];
      if (b === undefined) throw new KmsDerError(`${what}: truncated DER length at byte ${offset}`);
      length = length * 256 + b;
    }
    start += lengthBytes;
  }
  const end = start + length;
  if (end > bytes.length) throw new KmsDerError(`${what}: DER element at byte ${offset} runs past the end`);
  return { tag, start, end };
}

function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) {
    throw new KmsDerError(
      `${what}: expected DER tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`,
    );
  }
  return element;
}

function containsSequence(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The uncompressed secp256k1 point (65 bytes, `0x04 || X || Y`) inside a DER SubjectPublicKeyInfo,
 * as KMS `GetPublicKey` returns it for an `ECC_SECG_P256K1` key.
 *
 * @throws KmsDerError when the structure is not an SPKI for a secp256k1 key.
 */
export function publicKeyFromSpki(der: Uint8Array): Uint8Array {
  const what = 'KMS public key (SPKI)';
  const spki = expectTag(readElement(der, 0, what), TAG_SEQUENCE, what);
  const algorithm = expectTag(readElement(der, spki.start, what), TAG_SEQUENCE, what);
  if (!containsSequence(der.subarray(algorithm.start, algorithm.end), SECP256K1_OID)) {
    throw new KmsDerError(
      `${what}: the key is not on secp256k1 (create the KMS key with KeySpec ECC_SECG_P256K1)`,
    );
  }
  const bitString = expectTag(readElement(der, algorithm.end, what), TAG_BIT_STRING, what);
  const point = der.subarray(bitString.start + 1, bitString.end);
  if (der[bitString.start] !== 0 || point.length !== 65 || point[0] !== 0x04) {
    throw new KmsDerError(`${what}: expected a 65-byte uncompressed point, found ${point.length} bytes`);
  }
  return point;
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** secp256k1 group order n: r and s of a valid signature lie in [1, n − 1]. */
export const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * One signature scalar (`r` or `s`) as an integer in [1, n − 1]. DER pads a value whose top bit is
 * set with one 0x00 byte, so 33 content bytes are allowed only with that pad; anything wider, a
 * negative (unpadded top bit), zero or ≥ n is no secp256k1 signature and is refused by name.
 */
function signatureScalar(der: Uint8Array, element: DerElement, field: 'r' | 's', what: string): bigint {
  const content = der.subarray(element.start, element.end);
  const first = content[0];
  if (first === undefined) throw new KmsDerError(`${what}: ${field} is an empty INTEGER`);
  if (content.length > 33 || (content.length === 33 && first !== 0)) {
    throw new KmsDerError(`${what}: ${field} is ${content.length} bytes wide; at most 32 (+ one 0x00 pad)`);
  }
  if (first & 0x80) throw new KmsDerError(`${what}: ${field} is negative`);
  const value = bytesToBigint(content);
  if (value === 0n) throw new KmsDerError(`${what}: ${field} is zero`);
  if (value >= SECP256K1_ORDER) {
    throw new KmsDerError(`${what}: ${field} is not below the secp256k1 order n`, {
      details: `${field} = 0x${value.toString(16)}`,
    });
  }
  return value;
}

/**
 * The (r, s) pair of a DER `ECDSA-Sig-Value` (`SEQUENCE { INTEGER r, INTEGER s }`), as KMS `Sign`
 * returns it. `s` is returned as signed: low-s normalisation is the caller's concern.
 *
 * @throws KmsDerError when the bytes are not exactly such a sequence (nothing may follow it), or r or
 * s is wider than 32 bytes, negative, zero or ≥ n (the message names the field).
 */
export function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint } {
  const what = 'KMS signature (DER)';
  const sequence = expectTag(readElement(der, 0, what), TAG_SEQUENCE, what);
  if (sequence.end !== der.length) {
    throw new KmsDerError(`${what}: ${der.length - sequence.end} bytes after the DER sequence`);
  }
  const r = expectTag(readElement(der, sequence.start, what), TAG_INTEGER, what);
  const s = expectTag(readElement(der, r.end, what), TAG_INTEGER, what);
  if (s.end !== sequence.end) throw new KmsDerError(`${what}: trailing bytes after (r, s)`);
  return { r: signatureScalar(der, r, 'r', what), s: signatureScalar(der, s, 's', what) };
}
