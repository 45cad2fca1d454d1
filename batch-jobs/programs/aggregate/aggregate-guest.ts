import { type Hex, sameHex } from '../../../lambdas/chain/hex-bytes.js';
import { GuestRejectedError } from '../../zkvm/errors.js';
import type { Guest, GuestEnv } from '../../zkvm/guest.js';
import { verifyHeaderChain } from '../block-header/verify-header-chain.js';
import { encodeBootInfo } from '../range/boot-info.js';
import type { AggregateGuestInput, RangeProofInput } from './aggregate-guest-input.js';
import { encodeAggregationOutputs } from './aggregation-outputs.js';

const PROGRAM = 'aggregate';

/**
 * Aggregate guest: every range proof verifies under the range vkey (its public values re-derive from
 * its BootInfo), ranges chain without gap or overlap (`end[i] == start[i+1]`, `post[i] == pre[i+1]`),
 * all share one rollupConfigHash, and every range l1Head lies in the L1 header chain ending at the
 * checkpointed block. Commits ABI-encoded AggregationOutputs.
 */
export const aggregateGuest: Guest<AggregateGuestInput> = (input, env) => {
  const first = input.ranges[0];
  const last = input.ranges[input.ranges.length - 1];
  if (first === undefined || last === undefined)
    return reject('no-ranges', 'the aggregate needs at least one range');

  for (const range of input.ranges) checkRangeProof(range, input.rangeVkey, env);
  for (let i = 1; i < input.ranges.length; i++) {
    checkLink(input.ranges[i - 1] as RangeProofInput, input.ranges[i] as RangeProofInput, first);
    env.count(1);
  }
  if (first.start !== input.start || last.end !== input.end) {
    reject(
      'claimed-span',
      `ranges cover ${first.start}-${last.end} but the request claims ${input.start}-${input.end}`,
    );
  }
  checkL1Heads(input, env);

  return encodeAggregationOutputs({
    l1Head: input.checkpoint.l1BlockHash,
    l2PreRoot: first.bootInfo.l2PreRoot,
    claimRoot: last.bootInfo.l2PostRoot,
    claimBlockNum: last.end,
    rollupConfigHash: first.bootInfo.rollupConfigHash,
    rangeVkeyCommitment: input.rangeVkey,
    proverAddress: input.proverAddress,
  });
};

function checkRangeProof(range: RangeProofInput, rangeVkey: Hex, env: GuestEnv): void {
  const name = `range ${range.start}-${range.end}`;
  if (range.bootInfo.l2BlockNumber !== range.end) {
    reject(
      'range-boot-info',
      `${name} commits l2BlockNumber ${range.bootInfo.l2BlockNumber}, not its end ${range.end}`,
    );
  }
  if (!sameHex(encodeBootInfo(range.bootInfo), range.publicValues)) {
    reject('range-public-values', `${name}: public values do not encode its BootInfo`);
  }
  if (!sameHex(range.vkey, rangeVkey)) {
    reject('range-vkey', `${name} was proven under vkey ${range.vkey}, expected the range vkey ${rangeVkey}`);
  }
  if (!env.verifyProof(rangeVkey, range.publicValues, range.proof)) {
    reject('range-proof', `${name}: proof does not verify under the range vkey ${rangeVkey}`);
  }
}

function checkLink(previous: RangeProofInput, next: RangeProofInput, first: RangeProofInput): void {
  const prevName = `range ${previous.start}-${previous.end}`;
  const nextName = `range ${next.start}-${next.end}`;
  const prevEnd = BigInt(previous.end);
  const nextStart = BigInt(next.start);
  if (nextStart > prevEnd) {
    reject(
      'range-gap',
      `gap between ${prevName} and ${nextName}: blocks ${prevEnd + 1n}…${nextStart} are not proven`,
    );
  }
  if (nextStart < prevEnd) {
    reject(
      'range-overlap',
      `overlap between ${prevName} and ${nextName}: blocks ${nextStart + 1n}…${prevEnd} twice`,
    );
  }
  if (!sameHex(previous.bootInfo.l2PostRoot, next.bootInfo.l2PreRoot)) {
    reject(
      'output-root-chain',
      `${prevName} ends at output root ${previous.bootInfo.l2PostRoot} but ${nextName} starts from ${next.bootInfo.l2PreRoot}`,
    );
  }
  if (!sameHex(next.bootInfo.rollupConfigHash, first.bootInfo.rollupConfigHash)) {
    reject(
      'rollup-config-mismatch',
      `${nextName} has rollupConfigHash ${next.bootInfo.rollupConfigHash} but range ${first.start}-${first.end} has ${first.bootInfo.rollupConfigHash}`,
    );
  }
}

function checkL1Heads(input: AggregateGuestInput, env: GuestEnv): void {
  const checkpointNumber = BigInt(input.checkpoint.l1BlockNumber);
  const firstHeader = input.l1Headers[0];
  if (firstHeader === undefined) reject('l1-header-chain', 'no L1 headers given');
  const from = BigInt(firstHeader.number);
  const hashes = verifyHeaderChain(PROGRAM, 'L1', input.l1Headers, from, env);
  const lastNumber = from + BigInt(hashes.length) - 1n;
  if (lastNumber !== checkpointNumber) {
    reject(
      'checkpoint-block',
      `the L1 header chain ends at block ${lastNumber}, not the checkpoint block ${checkpointNumber}`,
    );
  }
  if (!sameHex(hashes[hashes.length - 1] as Hex, input.checkpoint.l1BlockHash)) {
    reject(
      'checkpoint-hash',
      `L1 block ${checkpointNumber} hashes to ${hashes[hashes.length - 1]}, the checkpoint says ${input.checkpoint.l1BlockHash}`,
    );
  }
  const known = new Set(hashes.map((hash) => hash.toLowerCase()));
  for (const range of input.ranges) {
    env.count(1);
    if (!known.has(range.bootInfo.l1Head.toLowerCase())) {
      reject(
        'foreign-l1-head',
        `range ${range.start}-${range.end} l1Head ${range.bootInfo.l1Head} is not in the L1 header chain ` +
          `${from}…${checkpointNumber} ending at the checkpointed block`,
      );
    }
  }
}

function reject(check: string, message: string): never {
  throw new GuestRejectedError(PROGRAM, check, message);
}
