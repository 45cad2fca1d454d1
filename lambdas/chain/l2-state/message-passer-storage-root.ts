import type { Hex } from '../hex-bytes.js';
import { messagePasserAddress } from './message-passer.js';
import { verifyAccountProof } from './trie/verify-account-proof.js';

/**
 * The `L2ToL1MessagePasser` storage root proven by an `eth_getProof` `accountProof` against a block's
 * `stateRoot`, taken from the verified account. `undefined` when the proof shows no such account
 * (not an OP-stack L2 state). Pure: the range guest calls it.
 *
 * @throws TrieProofError when the proof does not verify against `stateRoot`.
 */
export function messagePasserStorageRoot(
  stateRoot: string,
  accountProof: readonly string[],
): Hex | undefined {
  return verifyAccountProof(stateRoot, messagePasserAddress, accountProof)?.storageRoot;
}
