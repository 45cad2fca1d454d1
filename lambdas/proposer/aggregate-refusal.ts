import type { Hex } from 'viem';
import { sameHex } from '../chain/hex-bytes.js';
import { computeOutputRoot } from '../chain/l2-state/compute-output-root.js';
import type { AggregateResult } from '../core/executor/aggregate-contract.js';
import { checkpointStillValid } from './checkpoint-validity.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Why a proof cannot be proposed. `stale-checkpoint`: it was proven against an L1 block that an L1
 * reorg replaced, so its group must be proven again against a new checkpoint; `mismatch`: anything
 * else (a new proof of the same inputs would be refused again).
 */
export interface AggregateRefusal {
  readonly kind: 'mismatch' | 'stale-checkpoint';
  readonly reason: string;
}

const mismatch = (reason: string): AggregateRefusal => ({ kind: 'mismatch', reason });

/**
 * Why an aggregate proof must not be proposed as it is, or undefined when it may. In order: the
 * range and claim agree with the message key; the aggregation vkey, range vkey commitment and
 * rollup config hash equal the oracle's config (naming both values); the claim reaches
 * `nextBlockNumber()`; the pre-root is the oracle's latest output; the checkpointed L1 block is
 * still the oracle's and L1's (an L1 reorg since proving makes the proof unusable: the group must
 * be proven again against a new checkpoint); and, with `verifyOutputRoot`, the claimed root equals
 * the L2 RPC's output root.
 */
export async function aggregateRefusal(
  run: ProposerRunContext,
  messageId: string,
  interval: { start: bigint; end: bigint },
  result: AggregateResult,
  latestOutputRoot: Hex,
): Promise<AggregateRefusal | undefined> {
  const { oracle, deps } = run;
  const configName = deps.config.proposer.configName;
  const claimBlock = BigInt(result.outputs.claimBlockNum);
  if (
    BigInt(result.start) !== interval.start ||
    BigInt(result.end) !== interval.end ||
    claimBlock !== interval.end
  ) {
    return mismatch(
      `aggregate proof ${messageId} covers ${result.start}-${result.end} with claim block ${claimBlock}, but its key says ${interval.start}-${interval.end}`,
    );
  }
  const keyChecks: [string, string, string][] = [
    ['aggregation vkey', result.aggregationVkey, oracle.config.aggregationVkey],
    ['range vkey commitment', result.outputs.rangeVkeyCommitment, oracle.config.rangeVkeyCommitment],
    ['rollup config hash', result.outputs.rollupConfigHash, oracle.config.rollupConfigHash],
  ];
  for (const [what, proven, onChain] of keyChecks) {
    if (!sameHex(proven, onChain)) {
      return mismatch(
        `aggregate proof ${messageId} was made with ${what} ${proven}, but the oracle config "${configName}" holds ${onChain}: prove with the deployed programs or update the oracle config`,
      );
    }
  }
  if (claimBlock < oracle.nextBlockNumber) {
    return mismatch(
      `aggregate proof ${messageId} claims block ${claimBlock}, below the oracle's next block ${oracle.nextBlockNumber} (submission interval ${oracle.submissionInterval})`,
    );
  }
  if (!sameHex(result.outputs.l2PreRoot, latestOutputRoot)) {
    return mismatch(
      `aggregate proof ${messageId} starts from output root ${result.outputs.l2PreRoot}, but the oracle's latest output (block ${interval.start}) is ${latestOutputRoot}`,
    );
  }
  const l1BlockNumber = BigInt(result.l1BlockNumber);
  if (!(await checkpointStillValid(run, l1BlockNumber, result.outputs.l1Head as Hex))) {
    return {
      kind: 'stale-checkpoint',
      reason: `aggregate proof ${messageId} was proven against L1 block ${l1BlockNumber} with hash ${result.outputs.l1Head}, which the oracle or L1 no longer holds (L1 reorg): the group must be proven again against a new checkpoint`,
    };
  }
  if (deps.config.proposer.verifyOutputRoot) {
    const { outputRoot } = await computeOutputRoot(deps.l2, claimBlock);
    if (!sameHex(outputRoot, result.outputs.claimRoot)) {
      return mismatch(
        `aggregate proof ${messageId} claims output root ${result.outputs.claimRoot} for L2 block ${claimBlock}, but the L2 RPC gives ${outputRoot}`,
      );
    }
  }
  return undefined;
}
