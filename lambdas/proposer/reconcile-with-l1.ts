import { METRIC } from '../core/ports/telemetry.js';
import type { ListedCheckpoints } from './checkpoint-records.js';
import type { ProposerRunContext } from './proposer-run-context.js';
import { reconcileCheckpoints } from './reconcile-checkpoints.js';
import { type ReorgedProposal, reconcileProposals } from './reconcile-proposals.js';

/** What a run found an L1 reorg had taken away. */
export interface L1Reconciliation {
  readonly checkpoints: bigint[];
  readonly proposals: ReorgedProposal[];
  /** The stored checkpoints as listed and checked, for the rest of the run (`ProposerRunContext.checkpoints`). */
  readonly listedCheckpoints: ListedCheckpoints;
}

/**
 * Brings the stored checkpoints and proposals in line with the canonical L1 chain before a run
 * chooses anything (`reconcileCheckpoints`, then `reconcileProposals`). Metric:
 * ReorgsDetected{chain: l1}, once per run that finds anything.
 */
export async function reconcileWithL1(run: ProposerRunContext): Promise<L1Reconciliation> {
  const { invalidated: checkpoints, listed } = await reconcileCheckpoints(run);
  const proposals = await reconcileProposals(run);
  if (checkpoints.length > 0 || proposals.length > 0) {
    run.deps.metrics.count(METRIC.reorgsDetected, 1, { chain: 'l1' });
  }
  return { checkpoints, proposals, listedCheckpoints: listed };
}
