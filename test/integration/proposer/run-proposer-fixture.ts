import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import type { L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { ProposerRunReport } from '../../../lambdas/proposer/proposer-deps.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import {
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
