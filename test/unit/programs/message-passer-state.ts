import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex, type Hex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import { minimalBigEndian, rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';
import { messagePasserAddress } from '../../../lambdas/chain/l2-state/message-passer.js';
import { buildTrie } from './trie-builder.js';

const emptyCodeHash = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
const otherAccounts = [
  '0x00000000000000000000000000000000000000aa',
  '0x00000000000000000000000000000000000000bb',
];

/** `rlp([nonce, balance, storageRoot, codeHash])` of an account. */
export function accountRlp(account: {
  nonce?: bigint;
  balance?: bigint;
  storageRoot: string;
  codeHash?: string;
}): Uint8Array {
  return rlpEncode([
    minimalBigEndian(account.nonce ?? 0n),
    minimalBigEndian(account.balance ?? 0n),
    fromHex(account.storageRoot, 'storageRoot'),
    fromHex(account.codeHash ?? emptyCodeHash, 'codeHash'),
  ]);
}

/**
 * A small L2 state: the message passer with `storageRoot` (left out when `undefined`) next to two other
 * accounts. Returns the state root and the message passer's account proof.
 */
export function messagePasserState(storageRoot: Hex | undefined): { stateRoot: Hex; accountProof: Hex[] } {
  const entries: [Uint8Array, Uint8Array][] = otherAccounts.map((address, i) => [
    keccak_256(fromHex(address, 'address')),
    accountRlp({ balance: BigInt(i + 1) * 10n ** 18n, storageRoot: `0x${'56'.repeat(32)}` }),
  ]);
  if (storageRoot !== undefined)
    entries.push([
      keccak_256(fromHex(messagePasserAddress, 'address')),
      accountRlp({ nonce: 1n, storageRoot }),
    ]);
  const trie = buildTrie(entries);
  return {
    stateRoot: toHex(trie.root),
    accountProof: trie.proof(keccak_256(fromHex(messagePasserAddress, 'address'))).map(toHex),
  };
}

/** The message-passer storage root the synthetic L2 has at block `n`. */
export function storageRootAt(n: bigint): Hex {
  return `0x${(n + 0x5000n).toString(16).padStart(64, '0')}`;
}
