import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex, type Hex, toHex } from '../../hex-bytes.js';
import { rlpDecode } from '../encoding/rlp-decode.js';
import { TrieProofError } from './trie-proof-error.js';
import { verifyMerkleProof } from './verify-merkle-proof.js';

/** An account of the state trie: `rlp([nonce, balance, storageRoot, codeHash])`. */
export interface TrieAccount {
  nonce: bigint;
  balance: bigint;
  storageRoot: Hex;
  codeHash: Hex;
}

/**
 * Verifies an `eth_getProof` `accountProof` of `address` against a block's `stateRoot` (path
 * keccak256(address) in the state trie) and decodes the proven account. Returns `undefined` when the
 * proof shows the account does not exist.
 *
 * @throws TrieProofError when the proof does not verify against `stateRoot` or the account is malformed.
 * @example verifyAccountProof(header.stateRoot, '0x4200…0016', proof.accountProof)?.storageRoot
 */
export function verifyAccountProof(
  stateRoot: string,
  address: string,
  accountProof: readonly string[],
): TrieAccount | undefined {
  const addressBytes = fromHex(address, 'address');
  if (addressBytes.length !== 20) throw new TrieProofError(`address ${address} is not 20 bytes`);
  const nodes = accountProof.map((node, i) => fromHex(node, `account proof node #${i}`));
  const value = verifyMerkleProof(fromHex(stateRoot, 'stateRoot'), keccak_256(addressBytes), nodes);
  return value === undefined ? undefined : decodeAccount(value, address);
}

function decodeAccount(encoded: Uint8Array, address: string): TrieAccount {
  const fail = (why: string): never => {
    throw new TrieProofError(`account ${address} in the proof is malformed: ${why}`);
  };
  let item: ReturnType<typeof rlpDecode> = [];
  try {
    item = rlpDecode(encoded);
  } catch (error) {
    fail((error as Error).message);
  }
  if (item instanceof Uint8Array || item.length !== 4)
    return fail('expected [nonce, balance, storageRoot, codeHash]');
  const [nonce, balance, storageRoot, codeHash] = item;
  if (!(nonce instanceof Uint8Array) || !(balance instanceof Uint8Array))
    return fail('nonce or balance is a list');
  if (!(storageRoot instanceof Uint8Array) || storageRoot.length !== 32)
    return fail('storageRoot is not 32 bytes');
  if (!(codeHash instanceof Uint8Array) || codeHash.length !== 32) return fail('codeHash is not 32 bytes');
  return {
    nonce: scalar(nonce),
    balance: scalar(balance),
    storageRoot: toHex(storageRoot),
    codeHash: toHex(codeHash),
  };
}

function scalar(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(toHex(bytes));
}
