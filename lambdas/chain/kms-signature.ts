import { type Address, type Hex, isAddressEqual, numberToHex, recoverAddress, type Signature } from 'viem';
import { PipelineError } from '../core/errors.js';
import { parseDerSignature, SECP256K1_ORDER } from './kms-der.js';

const HALF_ORDER = SECP256K1_ORDER / 2n;

/** A KMS signature that recovers to neither candidate (wrong key id, or the digest was altered). */
export class KmsSignatureError extends PipelineError {
  override readonly name: string = 'KmsSignatureError';
}

/**
 * Turns a DER ECDSA signature of `hash` into an Ethereum signature: `s` moved to the low half of
 * the curve order (EIP-2; KMS returns either half), and the recovery id found by recovering both
 * candidates and keeping the one that yields `address`. Both `yParity` and the legacy `v` (27 + yParity)
 * are set: legacy (type 0) transactions are serialized from `v`, typed ones from `yParity`.
 *
 * @throws KmsSignatureError when neither candidate recovers to `address`.
 */
export async function toRecoverableSignature(parameters: {
  hash: Hex;
  der: Uint8Array;
  address: Address;
}): Promise<Signature> {
  const { r, s: rawS } = parseDerSignature(parameters.der);
  const s = rawS > HALF_ORDER ? SECP256K1_ORDER - rawS : rawS;
  const rHex = numberToHex(r, { size: 32 });
  const sHex = numberToHex(s, { size: 32 });
  for (const yParity of [0, 1] as const) {
    const signature: Signature = { r: rHex, s: sHex, v: 27n + BigInt(yParity), yParity };
    const recovered = await recoverAddress({ hash: parameters.hash, signature });
    if (isAddressEqual(recovered, parameters.address)) return signature;
  }
  throw new KmsSignatureError(
    `KMS signature of ${parameters.hash} does not recover to ${parameters.address} with either recovery id`,
    { details: 'the key id may point at a different key than the one whose address was derived' },
  );
}
