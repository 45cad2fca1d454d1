import type { ProposerRunContext } from './proposer-run-context.js';

/**
 * Hands an aggregate proof made against a checkpoint that an L1 reorg replaced back to the
 * orchestrator (`reopenProof`): its message is deleted and its group — of the stage whose output
 * topic is `proposer.inputTopic` — waits in `awaiting-checkpoint` with a new attempt, so the next
 * run checkpoints again and the group is proven anew. Without this the message would stay pending
 * with its group `succeeded`, and every later aggregate would wait behind it for good.
 */
export async function reproveStaleAggregate(
  run: ProposerRunContext,
  messageId: string,
  interval: { start: bigint; end: bigint },
  reason: string,
): Promise<'reopened' | 'not-reopenable'> {
  const { config, orchestrator, logger } = run.deps;
  const { groupId, outcome } = await orchestrator.reopenProof({ messageId, interval, reason });
  if (outcome === 'no-stage') {
    logger.error(
      'proposer: no stage produces the proposer input topic; the stale proof cannot be re-proven',
      {
        messageId,
        inputTopic: config.proposer.inputTopic,
      },
    );
    return 'not-reopenable';
  }
  if (outcome === 'reopened') {
    logger.warn('proposer: stale aggregate handed back for a new checkpoint and proof', {
      messageId,
      groupId,
    });
  } else {
    logger.error('proposer: the stale aggregate group cannot be reopened; it needs an operator', {
      messageId,
      groupId,
    });
  }
  return outcome;
}
