import type { LocalAccount } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** The mnemonic anvil (and hardhat) derive their funded dev accounts from. Public; devnet only. */
export const ANVIL_DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * The anvil dev account at `accountIndex` (m/44'/60'/0'/0/<index>) as a viem LocalAccount: the
 * local stand-in for the KMS account, behind the same interface (`signer.kind: 'anvil-dev'`).
 */
export function createLocalAccount(accountIndex: number): LocalAccount {
  return mnemonicToAccount(ANVIL_DEV_MNEMONIC, { addressIndex: accountIndex });
}
