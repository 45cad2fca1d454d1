import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, type Hex, sameHex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { messagePasserStorageRoot } from '../../../lambdas/chain/l2-state/message-passer-storage-root.js';
import { outputRootV0 } from '../../../lambdas/chain/l2-state/output-root.js';
import { TrieProofError } from '../../../lambdas/chain/l2-state/trie/trie-proof-error.js';
import { GuestRejectedError } from '../../zkvm/errors.js';
import type { Guest, GuestEnv } from '../../zkvm/guest.js';
import { verifyHeaderChain } from '../block-header/verify-header-chain.js';
import { encodeBootInfo } from './boot-info.js';
import type { RangeGuestInput } from './range-guest-input.js';

const PROGRAM = 'range';

/**
 * Range guest: checks the L2 header chain start → end (hashes recomputed from RLP, parent links),
 * checks the rollup config bytes hash to the claimed `rollupConfigHash`, verifies the message-passer
 * account proofs against the start and end headers' stateRoots, computes the pre and post output
 * roots from the proven storage roots and commits
 * BootInfo(l1Head, l2PreRoot, l2PostRoot, l2BlockNumber = end, rollupConfigHash).
 */
export const rangeGuest: Guest<RangeGuestInput> = (input, env) => {
  const start = BigInt(input.start);
  const end = BigInt(input.end);
  if (end <= start) reject('range-bounds', `range ${start}-${end}: end must be greater than start`);
  const expectedHeaders = end - start + 1n;
  if (BigInt(input.headers.length) !== expectedHeaders) {
    reject(
      'header-count',
      `range ${start}-${end} needs ${expectedHeaders} headers (blocks ${start}…${end}), got ${input.headers.length}`,
    );
  }
  if (/^0x0{64}$/.test(input.l1Head)) reject('l1-head', `range ${start}-${end}: l1Head is zero`);

  const configHash = toHex(sha256(fromHex(input.rollupConfig, 'rollupConfig')));
  env.count(1);
  if (!sameHex(configHash, input.rollupConfigHash)) {
    reject(
      'rollup-config-hash',
      `range ${start}-${end}: sha256 of the rollup config is ${configHash}, request says ${input.rollupConfigHash}`,
    );
  }

  const hashes = verifyHeaderChain(PROGRAM, 'L2', input.headers, start, env);
  const preHeader = input.headers[0];
  const postHeader = input.headers[input.headers.length - 1];
  const preHash = hashes[0];
  const postHash = hashes[hashes.length - 1];
  if (
    preHeader === undefined ||
    postHeader === undefined ||
    preHash === undefined ||
    postHash === undefined
  ) {
    return reject('header-count', `range ${start}-${end}: no headers`);
  }
  const preStorageRoot = provenStorageRoot(preHeader, input.preMessagePasserAccountProof, env);
  const postStorageRoot = provenStorageRoot(postHeader, input.postMessagePasserAccountProof, env);
  const l2PreRoot = outputRootV0(preHeader.stateRoot, preStorageRoot, preHash);
  const l2PostRoot = outputRootV0(postHeader.stateRoot, postStorageRoot, postHash);
  env.count(2);
  return encodeBootInfo({
    l1Head: input.l1Head,
    l2PreRoot,
    l2PostRoot,
    l2BlockNumber: end.toString(10),
    rollupConfigHash: configHash,
  });
};

/** Checks `message-passer-proof` (verifies against the stateRoot) and `message-passer-account` (exists). */
function provenStorageRoot(header: RpcBlockHeader, accountProof: readonly string[], env: GuestEnv): Hex {
  const block = BigInt(header.number);
  env.count(accountProof.length);
  let storageRoot: Hex | undefined;
  try {
    storageRoot = messagePasserStorageRoot(header.stateRoot, accountProof);
  } catch (error) {
    if (!(error instanceof TrieProofError) && !(error instanceof TypeError)) throw error;
    return reject(
      'message-passer-proof',
      `L2 block ${block}: the message passer account proof does not verify against stateRoot ${header.stateRoot}: ${error.message}`,
    );
  }
  if (storageRoot === undefined) {
    return reject(
      'message-passer-account',
      `L2 block ${block}: the account proof shows no message passer in state ${header.stateRoot}`,
    );
  }
  return storageRoot;
}

function reject(check: string, message: string): never {
  throw new GuestRejectedError(PROGRAM, check, message);
}
