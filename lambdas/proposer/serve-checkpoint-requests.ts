import type { TxOutcome } from '../chain/tx-manager/types.js';
import type { WaitingGroup } from '../core/orchestrator/proposer-gateway.js';
import { METRIC } from '../core/ports/telemetry.js';
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
 * `executor.l1Checkpoint` wait in `awaiting-checkpoint`, first checks each one's ranges
 * (`rangesL1Floor`): a group with a range whose `l1Head` left L1 has that range re-proven in place
 * and keeps waiting (one `ReorgsDetected{chain: l1}` per run that finds any). For the others it
 * obtains one canonical L1 checkpoint at or after the newest `l1Head` of their ranges and hands
 * each to the orchestrator (`giveCheckpoint`) with the oracle's range vkey commitment and this
 * signer as prover address. Nothing is sent when no group is ready.
 */
export async function serveCheckpointRequests(run: ProposerRunContext): Promise<CheckpointServing> {
  const { orchestrator, account, logger, metrics } = run.deps;
  const waiting = await orchestrator.groupsAwaitingCheckpoint();
  const ready: WaitingGroup[] = [];
  let floor = 0n;
  let staleRanges = 0;
  for (const group of waiting) {
    const readiness = await rangesL1Floor(run, group);
    if (readiness.kind === 'reproving') {
      staleRanges += readiness.staleRanges;
      logger.info('proposer: aggregate group waits for re-proven ranges', {
        groupId: group.id,
        reason: readiness.reason,
      });
      continue;
    }
    ready.push(group);
    if (readiness.floor > floor) floor = readiness.floor;
  }
  if (staleRanges > 0) metrics.count(METRIC.reorgsDetected, 1, { chain: 'l1' });
  if (ready.length === 0) return { groupsSubmitted: [] };

  const result = await obtainL1Checkpoint(run, floor);
  if (result.kind === 'not-ready') return { groupsSubmitted: [], unfinishedTx: result.outcome };
  const { checkpoint } = result;
  const groupsSubmitted: string[] = [];
  for (const group of ready) {
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
