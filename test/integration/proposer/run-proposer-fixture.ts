import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import type { AggregateResult, L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { ProposerRunReport } from '../../../lambdas/proposer/proposer-deps.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import {
  aggregateResultFor,
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  SUBMISSION_INTERVAL,
  storeAwaitingGroup,
} from './proposer-fixture.js';

/** The submission interval of the test chains and config, as a bigint. */
export const I = BigInt(SUBMISSION_INTERVAL);

/** Registers hooks in the calling `describe` that start dev chains (submission interval 4) once. */
export function useProposerChains(): () => DevChains {
  return useDevChains({ submissionInterval: SUBMISSION_INTERVAL });
}

/** The checkpoint a run stored or reused, as the executor contract gives it. */
export function checkpointOf(report: ProposerRunReport): L1Checkpoint {
  if (report.checkpoint === undefined) throw new Error('the run stored no checkpoint');
  return {
    l1BlockNumber: report.checkpoint.l1BlockNumber.toString(),
    l1BlockHash: report.checkpoint.l1BlockHash,
  };
}

/** The proposer account's L1 nonce. */
export async function proposerNonce(chains: DevChains): Promise<number> {
  const { deps } = proposerHarness(chains);
  return deps.l1.getTransactionCount({ address: deps.account.address });
}

/** Reads a head of the L1 oracle. */
export async function oracleRead<const F extends 'latestBlockNumber' | 'latestOutputIndex'>(
  chains: DevChains,
  functionName: F,
) {
  const { deps } = proposerHarness(chains);
  return deps.l1.readContract({
    address: chains.oracleAddress,
    abi: opSuccinctL2OutputOracleAbi,
    functionName,
  });
}

/** Runs the proposer once with one awaiting group so that it stores a checkpoint. */
export async function checkpointThroughGroup(harness: ProposerHarness, start: bigint): Promise<L1Checkpoint> {
  await storeAwaitingGroup(harness, start, start + I);
  return checkpointOf(await runProposer(harness.deps));
}

/**
 * Valid aggregate results for `count` consecutive submission intervals from the oracle's latest
 * block `head`, against the `checkpoint` a run stored (L2 mined far enough).
 */
export async function resultsFromHead(
  chains: DevChains,
  harness: ProposerHarness,
  count = 1,
): Promise<{ head: bigint; checkpoint: L1Checkpoint; results: AggregateResult[] }> {
  const head = await oracleRead(chains, 'latestBlockNumber');
  await mineL2To(chains, head + BigInt(count) * I);
  const checkpoint = await checkpointThroughGroup(harness, head);
  const results: AggregateResult[] = [];
  for (let k = 0n; k < BigInt(count); k++) {
    const start = head + k * I;
    results.push(
      await aggregateResultFor(harness.l2, start, start + I, checkpoint, harness.deps.account.address),
    );
  }
  return { head, checkpoint, results };
}
