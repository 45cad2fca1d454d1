import { sha256 } from '@noble/hashes/sha2.js';
import { GuestRejectedError } from '../../zkvm/errors.js';
import type { Guest } from '../../zkvm/guest.js';
import { fromHex, sameHex, toHex } from '../../zkvm/hex-bytes.js';
import { verifyHeaderChain } from '../block-header/verify-header-chain.js';
import { outputRootV0 } from '../output-root.js';
import { encodeBootInfo } from './boot-info.js';
import type { RangeGuestInput } from './range-guest-input.js';

const PROGRAM = 'range';

/**
 * Range guest: checks the L2 header chain start → end (hashes recomputed from RLP, parent links),
 * checks the rollup config bytes hash to the claimed `rollupConfigHash`, computes the pre and post
 * output roots and commits BootInfo(l1Head, l2PreRoot, l2PostRoot, l2BlockNumber = end, rollupConfigHash).
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
  const l2PreRoot = outputRootV0(preHeader.stateRoot, input.preMessagePasserStorageRoot, preHash);
  const l2PostRoot = outputRootV0(postHeader.stateRoot, input.postMessagePasserStorageRoot, postHash);
  env.count(2);
  return encodeBootInfo({
    l1Head: input.l1Head,
    l2PreRoot,
    l2PostRoot,
    l2BlockNumber: end.toString(10),
    rollupConfigHash: configHash,
  });
};

function reject(check: string, message: string): never {
  throw new GuestRejectedError(PROGRAM, check, message);
}
