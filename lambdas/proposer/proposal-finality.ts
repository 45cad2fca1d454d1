import type { Hex } from 'viem';
import { sameHex } from '../chain/hex-bytes.js';
import { readLatestOutput, readOutputAtBlock } from '../chain/oracle-reads.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Whether the oracle holds an output: `confirmed` at L1 depth `proposer.confirmations` (what counts
 * as proposed), `shallow` only in blocks above that depth (it may still be reorged out), `absent`
 * not at the run's oracle block (or another root).
 */
export type OracleHolding = 'confirmed' | 'shallow' | 'absent';

/**
 * The L1 block at which a proposal counts as final: `confirmations` blocks on top of and including
 * it below the run's oracle block (the tx manager's rule for a mined receipt).
 */
export function confirmedL1Block(run: ProposerRunContext): bigint {
  const depth = BigInt(Math.max(1, run.deps.config.proposer.confirmations));
  const block = run.oracle.blockNumber - depth + 1n;
  return block < 0n ? 0n : block;
}

/**
 * Reads whether the oracle holds `outputRoot` for L2 block `l2BlockNumber`: at the run's oracle
 * block (`run.oracle`), then, when that holds it, at `confirmedL1Block`.
 */
export async function oracleHolding(
  run: ProposerRunContext,
  l2BlockNumber: bigint,
  outputRoot: Hex,
): Promise<OracleHolding> {
  const { l1, oracleAddress } = run.deps;
  if (l2BlockNumber > run.oracle.latestBlockNumber) return 'absent';
  const now = await readOutputAtBlock(l1, oracleAddress, l2BlockNumber, {
    blockNumber: run.oracle.blockNumber,
  });
  if (now === undefined || !sameHex(now.outputRoot, outputRoot)) return 'absent';
  const confirmedAt = confirmedL1Block(run);
  if (confirmedAt >= run.oracle.blockNumber) return 'confirmed';
  // The oracle reverts for blocks above its latest output, so look at that first.
  const latestThen = await readLatestOutput(l1, oracleAddress, { blockNumber: confirmedAt });
  if (latestThen.l2BlockNumber < l2BlockNumber) return 'shallow';
  const then = await readOutputAtBlock(l1, oracleAddress, l2BlockNumber, { blockNumber: confirmedAt });
  return then !== undefined && sameHex(then.outputRoot, outputRoot) ? 'confirmed' : 'shallow';
}
