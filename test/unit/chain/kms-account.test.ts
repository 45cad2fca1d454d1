import {
  bytesToHex,
  hashMessage,
  parseGwei,
  recoverMessageAddress,
  recoverTransactionAddress,
  type TransactionSerializedLegacy,
  type TypedDataDefinition,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createKmsAccount } from '../../../lambdas/chain/kms-account.js';
import { KmsDerError } from '../../../lambdas/chain/kms-der.js';
import { KmsSignatureError } from '../../../lambdas/chain/kms-signature.js';
import { createFakeKms } from './fake-kms.js';

const privateKey = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318' as const;
const otherKey = '0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f' as const;
const reference = privateKeyToAccount(privateKey);

const typedData = {
  domain: { name: 'Proposer', version: '1', chainId: 900 },
  types: {
    Proposal: [
      { name: 'l2Block', type: 'uint256' },
      { name: 'root', type: 'bytes32' },
    ],
  },
  primaryType: 'Proposal',
  message: { l2Block: 1200n, root: `0x${'ab'.repeat(32)}` },
} as const satisfies TypedDataDefinition;

describe('createKmsAccount', () => {
  it('derives the address of the KMS key from its DER public key', async () => {
    // Prepare
    const kms = createFakeKms({ privateKey });
    // Act
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    // Assess
    expect(account.address).toBe(reference.address);
    expect(kms.publicKeyRequests).toEqual([{ KeyId: kms.keyId }]);
    kms.restore();
  });

  it.each([
    ['low-s', false],
    ['high-s', true],
  ])('signs messages like the private key itself when KMS returns %s signatures', async (_name, high) => {
    // Prepare
    const kms = createFakeKms({ privateKey, highS: () => high });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    // Act
    const signature = await account.signMessage({ message: 'checkpoint 42' });
    // Assess
    expect(signature).toBe(await reference.signMessage({ message: 'checkpoint 42' }));
    expect(await recoverMessageAddress({ message: 'checkpoint 42', signature })).toBe(account.address);
    expect(account.address).toBe(reference.address);
    expect(kms.signRequests).toHaveLength(1);
    const request = kms.signRequests[0]!;
    expect(request.KeyId).toBe(kms.keyId);
    expect(request.MessageType).toBe('DIGEST');
    expect(request.SigningAlgorithm).toBe('ECDSA_SHA_256');
    expect(bytesToHex(request.Message as Uint8Array)).toBe(hashMessage('checkpoint 42'));
    kms.restore();
  });

  it('signs typed data like the private key itself', async () => {
    // Prepare
    const kms = createFakeKms({ privateKey, highS: () => true });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    // Act
    const signature = await account.signTypedData(typedData);
    // Assess
    expect(signature).toBe(await reference.signTypedData(typedData));
    kms.restore();
  });

  it('signs EIP-1559 transactions that recover to the KMS address, for both s halves', async () => {
    // Prepare
    const kms = createFakeKms({ privateKey, highS: (i) => i % 2 === 0 });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    const tx = {
      type: 'eip1559',
      chainId: 900,
      nonce: 7,
      to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: parseGwei('3'),
      maxPriorityFeePerGas: parseGwei('1'),
    } as const;
    // Act
    const first = await account.signTransaction(tx);
    const second = await account.signTransaction({ ...tx, nonce: 8 });
    // Assess
    expect(first).toBe(await reference.signTransaction(tx));
    expect(second).toBe(await reference.signTransaction({ ...tx, nonce: 8 }));
    expect(await recoverTransactionAddress({ serializedTransaction: first as `0x02${string}` })).toBe(
      reference.address,
    );
    expect(kms.signRequests.map((r) => [r.MessageType, r.SigningAlgorithm])).toEqual([
      ['DIGEST', 'ECDSA_SHA_256'],
      ['DIGEST', 'ECDSA_SHA_256'],
    ]);
    kms.restore();
  });

  it('refuses a signature that recovers to neither candidate address', async () => {
    // Prepare
    const kms = createFakeKms({ privateKey, signingKey: otherKey });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    // Act
    const signing = account.signMessage({ message: 'x' });
    // Assess
    await expect(signing).rejects.toBeInstanceOf(KmsSignatureError);
    await expect(signing).rejects.toThrow(reference.address);
    kms.restore();
  });

  it.each([
    ['EIP-155', 900],
    ['pre-EIP-155', undefined],
  ])(
    'signs %s legacy transactions like the private key itself (v from the recovered parity)',
    async (_name, chainId) => {
      // Prepare
      const kms = createFakeKms({ privateKey, highS: (i) => i % 2 === 1 });
      const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
      const tx = {
        type: 'legacy',
        chainId,
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        value: 1n,
        gas: 21_000n,
        gasPrice: parseGwei('2'),
      } as const;
      // Act
      const signed = await Promise.all(
        [0, 1, 2, 3].map((nonce) => account.signTransaction({ ...tx, nonce })),
      );
      // Assess
      const expected = await Promise.all(
        [0, 1, 2, 3].map((nonce) => reference.signTransaction({ ...tx, nonce })),
      );
      expect(signed).toEqual(expected);
      for (const serializedTransaction of signed) {
        expect(
          await recoverTransactionAddress({
            serializedTransaction: serializedTransaction as TransactionSerializedLegacy,
          }),
        ).toBe(reference.address);
      }
      kms.restore();
    },
  );

  it('refuses a KMS signature with bytes after the DER sequence, naming them', async () => {
    // Prepare
    const kms = createFakeKms({ privateKey, tamperSignature: (der) => Uint8Array.of(...der, 0xff) });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    // Act
    const signing = account.signMessage({ message: 'x' });
    // Assess
    await expect(signing).rejects.toBeInstanceOf(KmsDerError);
    await expect(signing).rejects.toThrow('1 bytes after the DER sequence');
    kms.restore();
  });
});
