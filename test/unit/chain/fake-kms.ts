import { GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { secp256k1 } from '@noble/curves/secp256k1';
import { mockClient } from 'aws-sdk-client-mock';
import { type Hex, hexToBytes } from 'viem';

/** DER prefix of a SubjectPublicKeyInfo for an uncompressed secp256k1 point (id-ecPublicKey, secp256k1). */
const SPKI_SECP256K1_PREFIX = hexToBytes('0x3056301006072a8648ce3d020106052b8104000a034200');

export interface FakeKms {
  readonly client: KMSClient;
  readonly keyId: string;
  /** The inputs of every Sign request, in order. */
  readonly signRequests: SignCommandInput[];
  /** The inputs of every GetPublicKey request. */
  readonly publicKeyRequests: { KeyId?: string | undefined }[];
  restore(): void;
}

/**
 * A KMS client mocked with aws-sdk-client-mock that answers like an ECC_SECG_P256K1 key holding
 * `privateKey`: GetPublicKey → DER SPKI; Sign (digest) → DER ECDSA signature, with `s` in the
 * HIGH half of the order whenever `highS(i)` says so (KMS returns either half).
 */
export function createFakeKms(options: {
  privateKey: Hex;
  keyId?: string;
  highS?: (signIndex: number) => boolean;
  /** Sign with this key instead (a KMS key id pointing at a different key). */
  signingKey?: Hex;
  /** Replaces each DER signature before it is answered (a garbled or hostile KMS answer). */
  tamperSignature?: (der: Uint8Array) => Uint8Array;
}): FakeKms {
  const keyId = options.keyId ?? 'arn:aws:kms:us-east-1:111122223333:key/test-proposer';
  const client = new KMSClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const signRequests: SignCommandInput[] = [];
  const publicKeyRequests: { KeyId?: string | undefined }[] = [];
  const point = secp256k1.getPublicKey(hexToBytes(options.privateKey), false);
  const spki = new Uint8Array([...SPKI_SECP256K1_PREFIX, ...point]);
  mock.on(GetPublicKeyCommand).callsFake((input: { KeyId?: string }) => {
    publicKeyRequests.push(input);
    return { KeyId: input.KeyId, PublicKey: spki, KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' };
  });
  mock.on(SignCommand).callsFake((input: SignCommandInput) => {
    const index = signRequests.length;
    signRequests.push(input);
    const digest = input.Message as Uint8Array;
    const signature = secp256k1.sign(digest, hexToBytes(options.signingKey ?? options.privateKey), {
      lowS: true,
    });
    const wantHigh = options.highS?.(index) ?? false;
    const s = wantHigh ? secp256k1.CURVE.n - signature.s : signature.s;
    const der = new secp256k1.Signature(signature.r, s).toDERRawBytes();
    const answered = options.tamperSignature?.(der) ?? der;
    return { KeyId: input.KeyId, Signature: answered, SigningAlgorithm: 'ECDSA_SHA_256' };
  });
  return { client, keyId, signRequests, publicKeyRequests, restore: () => mock.restore() };
}
