import type { Hex, PrivateKeyAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEV_MNEMONIC, ANVIL_DEV_PRIVATE_KEYS } from '../../lambdas/chain/local-account.js';

/** The public anvil / hardhat test mnemonic. Its keys hold value on local chains only. */
export const devMnemonic = ANVIL_DEV_MNEMONIC;

/**
 * Private keys of the mnemonic's accounts 0..9 (path m/44'/60'/0'/0/i), which anvil funds with 10 000 ETH.
 * Test keys only: never log them, never use them on a public network.
 */
export const devPrivateKeys: readonly Hex[] = ANVIL_DEV_PRIVATE_KEYS;

/**
 * Who uses which dev account, so that parallel senders never race on one nonce:
 * 0 deploys contracts, 1 proposes (config `signer.accountIndex`), 2 is a spare L1 signer,
 * 3 sends the transaction that makes an injected reorg's branch differ (on L1 and L2),
 * 5..9 generate L2 traffic.
 */
export const devAccountRoles = {
  deployer: 0,
  proposer: 1,
  spareSigner: 2,
  reorgBranch: 3,
  traffic: [5, 6, 7, 8, 9],
} as const;

/**
 * The viem account of dev key `index` (0..9).
 *
 * @example
 * const deployer = devAccount(devAccountRoles.deployer);
 */
export function devAccount(index: number): PrivateKeyAccount {
  const key = devPrivateKeys[index];
  if (key === undefined) throw new RangeError(`dev account index ${index} is outside 0..9`);
  return privateKeyToAccount(key);
}
