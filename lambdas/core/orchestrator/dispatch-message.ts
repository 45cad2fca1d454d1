import { InvalidInputError } from '../errors.js';
import type { Envelope } from '../messages/envelope.js';
import { messageId } from '../messages/ids.js';
import { wakeProposer } from '../ports/proposer-wakeup.js';
import { METRIC } from '../ports/telemetry.js';
import type { GroupHandover } from './group/hand-over-group.js';
import { type MessageData, messageKind, messageSortKey, stageInbox } from './messages/message-records.js';
import { type RecordOutcome, recordMessage } from './messages/record-message.js';
import { runCollectors } from './run-collectors.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';
import { stagesConsuming } from './setup/pipeline-stages.js';

export interface DispatchOutcome {
  readonly messageId: string;
  /**
   * `duplicate`: the message was already recorded (a redelivery); nothing was written for it.
   * `newer-attempt`: it replaced a result of an earlier attempt of its group (a reopened group's).
   */
  readonly recorded: RecordOutcome;
  readonly groups: readonly GroupHandover[];
  readonly expired: readonly string[];
}

/**
 * Records a delivered message once (conditional create of `<topic>/<key>` in `pending`), then runs
 * the collectors of every stage reading its topic and hands ready groups to their executors (the
 * recovery sweeps run on the schedule, not per message). A
 * repeat delivery writes nothing but still runs the collectors, so it finishes work a crashed
 * delivery left half-done. A topic no stage reads (e.g. `aggregate-proofs`, read by the proposer)
 * is only recorded. The proposer is woken (`deps.proposerWakeup`, once) when the message is on its
 * input topic or a group was handed over to `awaiting-checkpoint`; a failed wake-up is only logged.
 *
 * @throws InvalidInputError when the envelope id is not `<topic>/<key>` or the key does not fit the
 * consuming stage (the SQS handler reports it as a batch item failure → DLQ).
 */
export async function dispatchMessage(deps: OrchestratorDeps, envelope: Envelope): Promise<DispatchOutcome> {
  const id = messageId(envelope.topic, envelope.key);
  if (envelope.id !== id) {
    throw new InvalidInputError('message envelope', [
      `id: expected "${id}" for topic and key (got "${envelope.id}")`,
    ]);
  }
  let sortKey: string;
  try {
    sortKey = messageSortKey(deps.config, envelope);
  } catch (error) {
    throw new InvalidInputError('message envelope', [`key: ${(error as Error).message}`], error);
  }
  const data: MessageData = { envelope, receivedAt: deps.clock.now().toISOString() };
  const recorded = await recordMessage(deps.store, { id, kind: messageKind(envelope.topic), sortKey, data });
  if (recorded === 'duplicate') {
    deps.metrics.count(METRIC.duplicateDeliveries, 1, { topic: envelope.topic });
    deps.logger.debug('duplicate delivery', { messageId: id });
  }
  const stages = stagesConsuming(deps.config, envelope.topic);
  // Each consumer of a fanned-out topic gets its own copy; repeated on every delivery, so a crash
  // between the creates is repaired by the redelivery.
  for (const stage of stages) {
    const inbox = stageInbox(deps.config, stage.name, envelope.topic);
    if (inbox.shared)
      await recordMessage(deps.store, { id: inbox.itemId(id), kind: inbox.kind, sortKey, data });
  }
  const { groups, expired } =
    stages.length === 0 ? { groups: [], expired: [] } : await runCollectors(deps, stages, { sweeps: false });
  // At most one wake-up per dispatch, never for a plain block. A duplicate proof wakes too: the
  // first delivery may have crashed between its record and its wake-up.
  const isProof = envelope.topic === deps.config.proposer.inputTopic;
  if (isProof || groups.some((g) => g.status === 'awaiting-checkpoint'))
    await wakeProposer(deps, isProof ? 'proof-recorded' : 'group-awaits-checkpoint');
  return { messageId: id, recorded, groups, expired };
}
