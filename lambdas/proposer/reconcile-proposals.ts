import { InvalidInputError } from '../core/errors.js';
import { sortKeyOf } from '../core/messages/ids.js';
import { METRIC } from '../core/ports/telemetry.js';
import { confirmedL1Block, oracleHolding } from './proposal-finality.js';
import { PROPOSAL_KIND, parseProposalItem, settleProposal } from './proposal-records.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/** One proposal sent back to be proposed again. */
export interface ReorgedProposal {
  readonly l2BlockNumber: bigint;
  readonly messageId: string;
  readonly reason: string;
}

/**
 * Makes `proposal/<n>` `proposed` mean what the oracle holds, before any candidate is chosen: each
 * `proposed` proposal at or above the oracle's latest block (`run.oracle`) that the oracle does not
 * hold at depth `proposer.confirmations` (`oracleHolding`) left the canonical L1 chain with its tx.
 * It becomes `reorged` (why, and the old tx hash) and its aggregate-proof message goes back from
 * `proposed` to pending, so this run proposes it again: the tx manager re-sends the same signed tx
 * at its nonce (`reopenReorgedTransactions`), and if that reverts the proof is proposed anew (or,
 * its checkpoint gone too, refused as stale and its group reopened).
 *
 * Only blocks ≥ the oracle's latest are looked at: below it the oracle's outputs are older than the
 * head, which was itself confirmed. Metrics: ReorgWorkInvalidated{kind: proposal} and Reproposals
 * (per proposal).
 */
export async function reconcileProposals(run: ProposerRunContext): Promise<ReorgedProposal[]> {
  const { store, orchestrator, metrics, logger } = run.deps;
  const items = await store.list(PROPOSAL_KIND, 'proposed', {
    fromSortKey: sortKeyOf(run.oracle.latestBlockNumber),
  });
  const reorged: ReorgedProposal[] = [];
  for (const item of items) {
    let proposal: ReturnType<typeof parseProposalItem>;
    try {
      proposal = parseProposalItem(item);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      logger.warn('proposer: malformed proposal item skipped while reconciling with the oracle', {
        proposalId: item.id,
        issues: error.issues,
      });
      continue;
    }
    const { l2BlockNumber, data } = proposal;
    const holding = await oracleHolding(run, l2BlockNumber, data.outputRoot);
    if (holding === 'confirmed') continue;
    const reason = `the oracle holds ${holding === 'absent' ? 'no' : 'only a shallow'} output ${data.outputRoot} for L2 block ${l2BlockNumber} at L1 block ${confirmedL1Block(run)} (confirmations ${run.deps.config.proposer.confirmations}): proposal tx ${data.txHash ?? '(unknown)'} left the canonical L1 chain`;
    const { txHash: _gone, gasUsed: _gas, ...kept } = data;
    const moved = await settleProposal(store, l2BlockNumber, proposal.version, 'reorged', {
      ...kept,
      reason,
      ...(data.txHash === undefined ? {} : { reorgedTxHash: data.txHash }),
    });
    if (!moved) continue;
    const message = await orchestrator.reopenProposedProof(data.messageId);
    logger.warn('proposer: a proposal left the canonical L1 chain; proposing it again', {
      proposalId: item.id,
      messageId: data.messageId,
      txHash: data.txHash,
      messageStatus: message,
      reason,
    });
    metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'proposal' });
    metrics.count(METRIC.reproposals, 1);
    reorged.push({ l2BlockNumber, messageId: data.messageId, reason });
  }
  return reorged;
}
