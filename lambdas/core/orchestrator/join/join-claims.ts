import type { BootInfo } from '../../executor/range-contract.js';
import type { JoinMember } from './join-members.js';

/**
 * The BootInfo fields a join compares: what a range proof claims about L2. `l1Head` is left out:
 * each job picks its own L1 block to derive from (`l1HeadDepth` below the head when it runs), so
 * two honest provers of one span differ there.
 */
export const JOINED_CLAIMS = [
  'l2PreRoot',
  'l2PostRoot',
  'l2BlockNumber',
  'rollupConfigHash',
] as const satisfies readonly (keyof BootInfo)[];

/**
 * The first claim on which two valid members differ, as the stored reason
 * (`provers-disagree: l2PostRoot range-a=0x… range-b=0x…`), or undefined when all agree.
 */
export function claimDisagreement(members: readonly JoinMember[]): string | undefined {
  const valid = members.filter((m) => m.valid);
  const [first, ...others] = valid;
  if (first === undefined) return undefined;
  for (const claim of JOINED_CLAIMS) {
    const expected = first.result.document.bootInfo[claim];
    const other = others.find((m) => m.result.document.bootInfo[claim] !== expected);
    if (other !== undefined) {
      return `provers-disagree: ${claim} ${first.prover}=${expected} ${other.prover}=${other.result.document.bootInfo[claim]}`;
    }
  }
  return undefined;
}

/** The reason naming each member the range plug-in refused, or undefined when all are valid. */
export function invalidMembers(members: readonly JoinMember[]): string | undefined {
  const invalid = members.filter((m) => !m.valid);
  if (invalid.length === 0) return undefined;
  return `prover-result-invalid: ${invalid.map((m) => `${m.prover} (${m.messageId}): ${m.problem}`).join('; ')}`;
}
