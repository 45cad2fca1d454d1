import { secp256k1 } from '@noble/curves/secp256k1';
import { bytesToHex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { KmsDerError, parseDerSignature, publicKeyFromSpki } from '../../../lambdas/chain/kms-der.js';

const point = secp256k1.getPublicKey(hexToBytes(`0x${'11'.repeat(32)}`), false);

describe('publicKeyFromSpki', () => {
  it('returns the uncompressed point of a secp256k1 SPKI', () => {
    // Prepare
    const spki = hexToBytes(`0x3056301006072a8648ce3d020106052b8104000a034200${bytesToHex(point).slice(2)}`);
    // Act
    const result = publicKeyFromSpki(spki);
    // Assess
    expect(bytesToHex(result)).toBe(bytesToHex(point));
  });

  it('refuses a P-256 key, naming the expected key spec', () => {
    // Prepare: same structure, OID prime256v1 (1.2.840.10045.3.1.7)
    const spki = hexToBytes(
      `0x3059301306072a8648ce3d020106082a8648ce3d030107034200${bytesToHex(point).slice(2)}`,
    );
    // Act
    const parse = () => publicKeyFromSpki(spki);
    // Assess
    expect(parse).toThrow(KmsDerError);
    expect(parse).toThrow(/ECC_SECG_P256K1/);
  });

  it('refuses truncated input', () => {
    expect(() => publicKeyFromSpki(hexToBytes('0x3056301006'))).toThrow(KmsDerError);
  });
});

describe('parseDerSignature', () => {
  it('reads r and s, including integers with a leading zero byte', () => {
    // Prepare: r and s with the top bit set get a 0x00 pad in DER
    const r = 0x80n << 248n;
    const s = secp256k1.CURVE.n - 1n;
    const der = new secp256k1.Signature(r, s).toDERRawBytes();
    // Act
    const parsed = parseDerSignature(der);
    // Assess
    expect(parsed).toEqual({ r, s });
  });

  it('refuses a sequence with trailing bytes', () => {
    const der = new secp256k1.Signature(5n, 7n).toDERRawBytes();
    const bad = new Uint8Array([...der, 0]);
    bad[1] = (bad[1] ?? 0) + 1;
    expect(() => parseDerSignature(bad)).toThrow(KmsDerError);
  });
});

/** A DER ECDSA-Sig-Value built from raw INTEGER contents, so widths and values DER encoders refuse can be sent. */
function derSignature(r: Uint8Array, s: Uint8Array): Uint8Array {
  const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
  return Uint8Array.from([0x30, body.length, ...body]);
}

const one = Uint8Array.of(1);
const order = hexToBytes(`0x${secp256k1.CURVE.n.toString(16)}`);

describe('parseDerSignature refusals', () => {
  it.each([
    ['r wider than 32 bytes', derSignature(new Uint8Array(34).fill(1), one), /r is 34 bytes wide/],
    ['s 33 bytes without the 0x00 pad', derSignature(one, new Uint8Array(33).fill(1)), /s is 33 bytes wide/],
    ['r zero', derSignature(Uint8Array.of(0), one), /r is zero/],
    ['s zero', derSignature(one, Uint8Array.of(0)), /s is zero/],
    ['r equal to n', derSignature(Uint8Array.of(0, ...order), one), /r is not below the secp256k1 order n/],
    ['s equal to n', derSignature(one, Uint8Array.of(0, ...order)), /s is not below the secp256k1 order n/],
    ['s negative', derSignature(one, Uint8Array.of(0x80, 1)), /s is negative/],
    [
      'bytes after the sequence',
      Uint8Array.of(...derSignature(one, one), 0, 0),
      /2 bytes after the DER sequence/,
    ],
  ])('refuses %s with a KmsDerError naming it', (_name, der, message) => {
    // Act
    const parse = () => parseDerSignature(der);
    // Assess
    expect(parse).toThrow(KmsDerError);
    expect(parse).toThrow(message);
  });

  it('accepts the largest valid scalars (n − 1, 33 bytes with its pad)', () => {
    // Prepare
    const max = hexToBytes(`0x${(secp256k1.CURVE.n - 1n).toString(16)}`);
    // Act
    const parsed = parseDerSignature(derSignature(Uint8Array.of(0, ...max), one));
    // Assess
    expect(parsed).toEqual({ r: secp256k1.CURVE.n - 1n, s: 1n });
  });
});
