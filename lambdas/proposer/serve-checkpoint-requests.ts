import type { TxOutcome } from '../chain/tx-manager/types.js';
import { obtainL1Checkpoint } from './obtain-l1-checkpoint.js';
import type { CheckpointReport } from './proposer-deps.js';
import type { ProposerRunContext } from './proposer-run-context.js';
import { rangesL1Floor } from './ranges-l1-floor.js';

export interface CheckpointServing {
  readonly checkpoint?: CheckpointReport;
  readonly groupsSubmitted: string[];
  readonly unfinishedTx?: TxOutcome;
}

/**
 * Answers the aggregate stages' checkpoint requests: when groups of a stage with
 * `executor.l1Checkpoint` wait in `awaiting-checkpoint`, obtains one L1 checkpoint for all of them
 * at or after the newest L1 head its ranges were proven against (`rangesL1Floor`),
 * and hands each to the orchestrator (`giveCheckpoint`) with the oracle's range vkey
 * commitment and this signer as prover address. Nothing is sent when no group waits.
 */
export async function serveCheckpointRequests(run: ProposerRunContext): Promise<CheckpointServing> {
  const { orchestrator, account, logger } = run.deps;
  const waiting = await orchestrator.groupsAwaitingCheckpoint();
  if (waiting.length === 0) return { groupsSubmitted: [] };

  const result = await obtainL1Checkpoint(run, await rangesL1Floor(run, waiting));
  if (result.kind === 'not-ready') return { groupsSubmitted: [], unfinishedTx: result.outcome };
  const { checkpoint } = result;
  const groupsSubmitted: string[] = [];
  for (const group of waiting) {
    const submitted = await orchestrator.giveCheckpoint(group.id, {
      checkpoint: { l1BlockNumber: checkpoint.l1BlockNumber.toString(), l1BlockHash: checkpoint.l1BlockHash },
      rangeVkey: run.oracle.config.rangeVkeyCommitment,
      proverAddress: account.address,
    });
    if (submitted === 'submitted') groupsSubmitted.push(group.id);
    logger.info('proposer: checkpoint handed to aggregate group', { groupId: group.id, result: submitted });
  }
  return { checkpoint, groupsSubmitted };
}
