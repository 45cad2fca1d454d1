import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  type Address,
  bytesToHex,
  type Hex,
  hashMessage,
  hashTypedData,
  hexToBytes,
  keccak256,
  type LocalAccount,
  type Signature,
  serializeSignature,
  serializeTransaction,
} from 'viem';
import { publicKeyToAddress, toAccount } from 'viem/accounts';
import { PipelineError } from '../core/errors.js';
import { publicKeyFromSpki } from './kms-der.js';
import { toRecoverableSignature } from './kms-signature.js';

/** KMS refused or answered without the field we need (key missing, wrong key spec, no access). */
export class KmsRequestError extends PipelineError {
  override readonly name: string = 'KmsRequestError';
}

export interface KmsAccountOptions {
  /** A KMS client; only `send` is used (GetPublicKey once, then Sign per signature). */
  readonly kms: Pick<KMSClient, 'send'>;
  /** Key id, ARN or alias of an `ECC_SECG_P256K1` / `SIGN_VERIFY` key. */
  readonly keyId: string;
}

async function requestKms<T>(failure: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new KmsRequestError(failure, { cause: error });
  }
}

/**
 * A viem account whose private key never leaves AWS KMS. The address comes from `GetPublicKey`
 * (DER SPKI → uncompressed point → keccak256); every signature is one `Sign` call on the 32-byte
 * digest (`MessageType: DIGEST`, `ECDSA_SHA_256`: KMS signs the given digest as-is), turned into an
 * Ethereum signature by `toRecoverableSignature` (low-s, recovery id).
 *
 * @example
 * const account = await createKmsAccount({ kms: new KMSClient({}), keyId: 'alias/proposer' });
 * const raw = await account.signTransaction({ chainId: 1, type: 'eip1559', nonce: 0, ... });
 */
export async function createKmsAccount(options: KmsAccountOptions): Promise<LocalAccount> {
  const { kms, keyId } = options;
  const publicKey = await requestKms(`KMS GetPublicKey failed for key ${keyId}`, () =>
    kms.send(new GetPublicKeyCommand({ KeyId: keyId })),
  );
  if (publicKey.PublicKey === undefined)
    throw new KmsRequestError(`KMS GetPublicKey returned no key for ${keyId}`);
  if (publicKey.KeySpec !== undefined && publicKey.KeySpec !== 'ECC_SECG_P256K1') {
    throw new KmsRequestError(`KMS key ${keyId} has KeySpec ${publicKey.KeySpec}; expected ECC_SECG_P256K1`);
  }
  const point = publicKeyFromSpki(publicKey.PublicKey);
  const address: Address = publicKeyToAddress(bytesToHex(point));

  async function signDigest(hash: Hex): Promise<Signature> {
    const answer = await requestKms(`KMS Sign failed for key ${keyId}`, () =>
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: hexToBytes(hash),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    if (answer.Signature === undefined)
      throw new KmsRequestError(`KMS Sign returned no signature for ${keyId}`);
    return toRecoverableSignature({ hash, der: answer.Signature, address });
  }

  return toAccount({
    address,
    async sign({ hash }) {
      return serializeSignature(await signDigest(hash));
    },
    async signMessage({ message }) {
      return serializeSignature(await signDigest(hashMessage(message)));
    },
    async signTypedData(typedData) {
      return serializeSignature(await signDigest(hashTypedData(typedData)));
    },
    async signTransaction(transaction, { serializer = serializeTransaction } = {}) {
      const signable =
        transaction.type === 'eip4844' ? { ...transaction, sidecars: false as const } : transaction;
      const signature = await signDigest(keccak256(await serializer(signable)));
      return serializer(transaction, signature);
    },
  });
}
