import { encodeFunctionData, type Hex } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { readLatestOutput, readOracleState } from '../chain/oracle-reads.js';
import { sendTransaction } from '../chain/tx-manager/send-transaction.js';
import type { TxOutcome } from '../chain/tx-manager/types.js';
import { type AggregateResult, aggregateResultSchema } from '../core/executor/aggregate-contract.js';
import type { Envelope } from '../core/messages/envelope.js';
import { keyInterval, proposalId } from '../core/messages/ids.js';
import type { PendingProof } from '../core/orchestrator/proposer-gateway.js';
import { METRIC } from '../core/ports/telemetry.js';
import { describeIssues } from '../core/schema/schema-issues.js';
import { aggregateRefusal } from './aggregate-refusal.js';
import { oracleHolding } from './proposal-finality.js';
import { claimProposal, type ProposalData, parseProposalItem, settleProposal } from './proposal-records.js';
import type { ProposalReport, RefusalReport } from './proposer-deps.js';
import { type ProposerRunContext, proposalErrorsAbi } from './proposer-run-context.js';
import { reproveStaleAggregate } from './reprove-stale-aggregate.js';

export interface ProposingReport {
  readonly latestBlockNumber: bigint;
  readonly proposed: ProposalReport[];
  readonly skipped: string[];
  readonly waiting: string[];
  readonly refused: RefusalReport[];
  readonly unfinishedTx?: TxOutcome;
}

interface Candidate {
  readonly item: PendingProof;
  readonly envelope: Envelope;
  readonly interval: { start: bigint; end: bigint };
}

type ProposeResult =
  | { readonly kind: 'proposed'; readonly report: ProposalReport }
  | { readonly kind: 'refused'; readonly refusal: RefusalReport }
  | { readonly kind: 'unfinished'; readonly outcome: TxOutcome };

/**
 * A message the oracle already covers: `proposed` when our proposal for its end block is on the
 * oracle at depth `proposer.confirmations` (a run that crashed after sending, or a reorged proposal
 * whose tx the tx manager re-sent), left pending while the oracle holds it only in shallower blocks
 * (`waiting`: not final yet), else `skipped`.
 */
async function settleCovered(
  run: ProposerRunContext,
  candidate: Candidate,
): Promise<'proposed' | 'waiting' | 'skipped'> {
  const { store, orchestrator, logger } = run.deps;
  const stored = await store.get(proposalId(candidate.interval.end));
  const proposal = stored === undefined ? undefined : parseProposalItem(stored);
  if (proposal !== undefined && proposal.data.messageId === candidate.item.id) {
    const holding = await oracleHolding(run, candidate.interval.end, proposal.data.outputRoot);
    if (holding === 'shallow') return 'waiting';
    if (holding === 'confirmed') {
      if (proposal.status !== 'proposed') {
        await settleProposal(store, proposal.l2BlockNumber, proposal.version, 'proposed', proposal.data);
        logger.info('proposer: proposal confirmed on the oracle', {
          messageId: candidate.item.id,
          l2BlockNumber: candidate.interval.end.toString(),
          previousStatus: proposal.status,
        });
      }
      await orchestrator.settleProof(candidate.item.id, 'proposed');
      return 'proposed';
    }
  }
  await orchestrator.settleProof(candidate.item.id, 'skipped');
  return 'skipped';
}

async function proposeOne(run: ProposerRunContext, candidate: Candidate): Promise<ProposeResult> {
  const { deps } = run;
  const { store, orchestrator, logger, metrics, oracleAddress } = deps;
  const messageId = candidate.item.id;
  const refuse = (reason: string, groupReopen?: RefusalReport['groupReopen']): ProposeResult => {
    logger.error('proposer: aggregate proof refused', { messageId, reason });
    metrics.count(METRIC.proposals, 1, { outcome: 'refused' });
    return {
      kind: 'refused',
      refusal: { messageId, reason, ...(groupReopen === undefined ? {} : { groupReopen }) },
    };
  };

  const payload = await orchestrator.proofPayload(candidate.envelope);
  const parsed = aggregateResultSchema.safeParse(payload);
  if (!parsed.success) {
    return refuse(
      `payload is not an AggregateResult: ${describeIssues(parsed.error, payload, 'payload').join('; ')}`,
    );
  }
  const result: AggregateResult = parsed.data;
  // At the block of the oracle state the candidate was chosen from, so head and pre-root agree.
  const latestOutput = await readLatestOutput(deps.l1, oracleAddress, {
    blockNumber: run.oracle.blockNumber,
  });
  const refusal = await aggregateRefusal(run, messageId, candidate.interval, result, latestOutput.outputRoot);
  if (refusal?.kind === 'stale-checkpoint') {
    return refuse(
      refusal.reason,
      await reproveStaleAggregate(run, messageId, candidate.interval, refusal.reason),
    );
  }
  if (refusal !== undefined) return refuse(refusal.reason);

  const l2BlockNumber = candidate.interval.end;
  const l1BlockNumber = BigInt(result.l1BlockNumber);
  const outputRoot = result.outputs.claimRoot as Hex;
  const data: ProposalData = { messageId, outputRoot, l1BlockNumber: l1BlockNumber.toString() };
  const claim = await claimProposal(store, l2BlockNumber, data);
  if (claim === undefined)
    return refuse(`proposal ${proposalId(l2BlockNumber)} is being written by another run`);
  if (claim.previousStatus !== undefined) {
    logger.warn('proposer: taking over an earlier proposal attempt', {
      messageId,
      previousStatus: claim.previousStatus,
    });
  }

  const outcome = await sendTransaction(run.tx, {
    intentId: proposalId(l2BlockNumber),
    to: oracleAddress,
    data: encodeFunctionData({
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'proposeL2Output',
      args: [
        run.oracle.configName,
        outputRoot,
        l2BlockNumber,
        l1BlockNumber,
        result.proof as Hex,
        result.outputs.proverAddress as Hex,
      ],
    }),
    abi: proposalErrorsAbi,
    deadline: run.deadline,
  });

  if (outcome.status === 'mined') {
    await settleProposal(store, l2BlockNumber, claim.version, 'proposed', {
      ...data,
      txHash: outcome.hash,
      gasUsed: outcome.gasUsed.toString(),
    });
    await orchestrator.settleProof(messageId, 'proposed');
    metrics.gauge(METRIC.proposedHead, Number(l2BlockNumber));
    metrics.gauge(METRIC.proposalGasUsed, Number(outcome.gasUsed));
    metrics.count(METRIC.proposals, 1, { outcome: 'proposed' });
    logger.info('proposer: output proposed', {
      messageId,
      l2BlockNumber: l2BlockNumber.toString(),
      txHash: outcome.hash,
      gasUsed: outcome.gasUsed.toString(),
    });
    return {
      kind: 'proposed',
      report: {
        messageId,
        l2BlockNumber,
        outputRoot,
        l1BlockNumber,
        txHash: outcome.hash,
        gasUsed: outcome.gasUsed,
      },
    };
  }
  if (outcome.status === 'reverted' || outcome.status === 'replaced') {
    const reason =
      outcome.status === 'reverted'
        ? `proposeL2Output reverted${outcome.simulated ? ' in estimation' : ''}: ${outcome.reason}`
        : `the proposal's nonce ${outcome.nonce} was used by another transaction`;
    await settleProposal(store, l2BlockNumber, claim.version, 'failed', { ...data, reason });
    metrics.count(METRIC.proposals, 1, { outcome: outcome.status });
    logger.error('proposer: proposal failed', { messageId, reason });
    return { kind: 'refused', refusal: { messageId, reason } };
  }
  return { kind: 'unfinished', outcome };
}

/**
 * Proposes, in order, every ready aggregate proof on `config.proposer.inputTopic`: the pending
 * message whose range starts at the oracle's `latestBlockNumber()`, then the one starting where
 * that ended, and so on. Messages the oracle already covers are settled (`skipped`, or `proposed`
 * when the proposal was ours and is confirmed; one the oracle holds only above `confirmations`
 * waits); those starting later wait. A proof that fails `aggregateRefusal` is
 * reported and left pending, except one made against a checkpoint an L1 reorg replaced: its group
 * is reopened to be proven again (`reproveStaleAggregate`). An unfinished tx stops the run (the
 * next run resumes it).
 */
export async function proposeReadyAggregates(first: ProposerRunContext): Promise<ProposingReport> {
  let run = first;
  const { logger, config, l1, oracleAddress, account, orchestrator } = run.deps;
  const proposed: ProposalReport[] = [];
  const skipped: string[] = [];
  const refused: RefusalReport[] = [];
  // Listed once: after each proposal the same proofs are looked at again against the new head. A
  // proof recorded during the run wakes the proposer again (`wakeProposer`), so the next run has it.
  let pending = await orchestrator.pendingProofs();
  for (;;) {
    const latest = run.oracle.latestBlockNumber;
    const waiting: string[] = [];
    const candidates: Candidate[] = [];
    const unsettled: PendingProof[] = [];
    for (const item of pending) {
      const { envelope } = item;
      let interval: { start: bigint; end: bigint };
      try {
        interval = keyInterval(envelope.key, 'range');
      } catch (error) {
        refused.push({ messageId: item.id, reason: (error as Error).message });
        continue;
      }
      const candidate = { item, envelope, interval };
      if (interval.end <= latest) {
        if ((await settleCovered(run, candidate)) === 'waiting') {
          waiting.push(item.id);
          unsettled.push(item);
        } else skipped.push(item.id);
      } else if (interval.start > latest) {
        waiting.push(item.id);
        unsettled.push(item);
      } else if (interval.start < latest) {
        logger.warn('proposer: aggregate overlaps the oracle head and can never be proposed; skipped', {
          messageId: item.id,
          latestBlockNumber: latest.toString(),
        });
        await orchestrator.settleProof(item.id, 'skipped');
        skipped.push(item.id);
      } else {
        candidates.push(candidate);
        unsettled.push(item);
      }
    }

    let progressed = false;
    for (const candidate of candidates) {
      const result = await proposeOne(run, candidate);
      if (result.kind === 'refused') {
        refused.push(result.refusal);
        continue;
      }
      if (result.kind === 'unfinished') {
        return {
          latestBlockNumber: latest,
          proposed,
          skipped,
          waiting,
          refused,
          unfinishedTx: result.outcome,
        };
      }
      proposed.push(result.report);
      pending = unsettled.filter((item) => item.id !== candidate.item.id);
      progressed = true;
      break;
    }
    if (!progressed) return { latestBlockNumber: latest, proposed, skipped, waiting, refused };
    const oracle = await readOracleState(l1, {
      oracleAddress,
      configName: config.proposer.configName,
      proposer: account.address,
    });
    run = { ...run, oracle };
  }
}
