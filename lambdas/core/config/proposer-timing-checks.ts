import type { PipelineConfig } from './schema.js';

/**
 * Seconds a proposer run stops before its signer lease expires, so nothing is written after losing
 * the lease: `runProposer` sets its deadline to the lease expiry minus this.
 */
export const PROPOSER_LEASE_MARGIN_SECONDS = 5;

/** `blockhash(n)` is non-zero only for the 256 blocks before the one executing it. */
const BLOCKHASH_WINDOW_BLOCKS = 256;

/**
 * The proposer's L1 timing: a checkpoint it makes must be one it can land and use, and a run must
 * hold its lease long enough to finish its own checkpoint transaction.
 */
export function checkProposerL1Timing(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const { checkpointDepth, checkpointMaxAgeBlocks, leaseSeconds, resubmissionTimeoutSeconds } =
    config.proposer;
  // checkpointBlockHash(head − depth) lands at head + 1 or later and reverts once head − depth is
  // out of the blockhash() window; the proposer also reuses a checkpoint only while it is younger
  // than checkpointMaxAgeBlocks (≤ 255), so a new one must start younger than that.
  if (checkpointDepth >= checkpointMaxAgeBlocks) {
    problems.push(
      `proposer.checkpointDepth: got ${checkpointDepth}, expected < proposer.checkpointMaxAgeBlocks ${checkpointMaxAgeBlocks} (itself ≤ ${BLOCKHASH_WINDOW_BLOCKS - 1}): checkpointBlockHash(head − checkpointDepth) reverts unless it lands within ${BLOCKHASH_WINDOW_BLOCKS} blocks of that block, and a checkpoint made deeper than checkpointMaxAgeBlocks is already too old to reuse`,
    );
  }
  // A checkpoint is recorded only by the run that sent its transaction: the run must be able to
  // wait one resubmission timeout (and bump an underpriced attempt) before its deadline.
  const needed = resubmissionTimeoutSeconds + PROPOSER_LEASE_MARGIN_SECONDS;
  if (leaseSeconds < needed) {
    problems.push(
      `proposer.leaseSeconds: got ${leaseSeconds}, expected ≥ ${needed} (proposer.resubmissionTimeoutSeconds ${resubmissionTimeoutSeconds} + ${PROPOSER_LEASE_MARGIN_SECONDS} s): a run stops ${PROPOSER_LEASE_MARGIN_SECONDS} s before its lease ends and must outlast one resubmission timeout to replace its own underpriced checkpoint transaction; a checkpoint mined only in a later run is never recorded`,
    );
  }
  return problems;
}
