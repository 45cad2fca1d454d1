import { type Hex, sameHex } from '../../../lambdas/chain/hex-bytes.js';
import {
  headerHash,
  headerNumber,
  type RpcBlockHeader,
} from '../../../lambdas/chain/l2-state/block-header.js';
import { GuestRejectedError } from '../../zkvm/errors.js';
import type { GuestEnv } from '../../zkvm/guest.js';

/**
 * Checks that `headers` form one chain: consecutive numbers from `firstNumber`, every header's hash
 * equal to keccak256(rlp(header)), every parentHash equal to the previous hash. Returns the hashes
 * (recomputed, not trusted). Throws `GuestRejectedError` naming the block that breaks the chain.
 */
export function verifyHeaderChain(
  program: string,
  chain: 'L1' | 'L2',
  headers: readonly RpcBlockHeader[],
  firstNumber: bigint,
  env: GuestEnv,
): Hex[] {
  const hashes: Hex[] = [];
  headers.forEach((header, index) => {
    const expectedNumber = firstNumber + BigInt(index);
    const number = headerNumber(header);
    if (number !== expectedNumber) {
      throw new GuestRejectedError(
        program,
        'header-numbers',
        `${chain} header #${index} is block ${number}, expected block ${expectedNumber}`,
      );
    }
    const hash = headerHash(header);
    env.count(1);
    if (!sameHex(hash, header.hash)) {
      throw new GuestRejectedError(
        program,
        'header-hash',
        `${chain} block ${number}: keccak256(rlp(header)) is ${hash}, header claims ${header.hash}`,
      );
    }
    const previous = hashes[index - 1];
    if (previous !== undefined && !sameHex(header.parentHash, previous)) {
      throw new GuestRejectedError(
        program,
        'parent-hash',
        `${chain} block ${number}: parentHash ${header.parentHash} is not the hash ${previous} of block ${number - 1n}`,
      );
    }
    hashes.push(hash);
  });
  return hashes;
}
