import { mnemonicToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  ANVIL_DEV_MNEMONIC,
  ANVIL_DEV_PRIVATE_KEYS,
  createLocalAccount,
} from '../../../lambdas/chain/local-account.js';
import { PipelineError } from '../../../lambdas/core/errors.js';

describe('createLocalAccount', () => {
  it.each(ANVIL_DEV_PRIVATE_KEYS.map((_, index) => index))(
    "gives account %i the address the anvil mnemonic derives (m/44'/60'/0'/0/i)",
    (index) => {
      // Prepare
      const derived = mnemonicToAccount(ANVIL_DEV_MNEMONIC, { addressIndex: index });

      // Act
      const account = createLocalAccount(index);

      // Assess
      expect(account.address).toBe(derived.address);
      expect(account.publicKey).toBe(derived.publicKey);
    },
  );

  it('signs as the mnemonic-derived account does', async () => {
    // Prepare
    const derived = mnemonicToAccount(ANVIL_DEV_MNEMONIC, { addressIndex: 1 });

    // Act
    const signature = await createLocalAccount(1).signMessage({ message: 'propose' });

    // Assess
    expect(signature).toBe(await derived.signMessage({ message: 'propose' }));
  });

  it.each([-1, 10, 1.5])('rejects account index %s, naming the accepted range', (index) => {
    // Act
    const create = () => createLocalAccount(index);

    // Assess
    expect(create).toThrow(PipelineError);
    expect(create).toThrow(`accountIndex got ${index}, expected an anvil dev account 0..9`);
  });
});
