import type { StageConfig } from '../config/schema.js';
import { InvalidInputError } from '../errors.js';
import type { Envelope } from '../messages/envelope.js';
import { messageId } from '../messages/ids.js';
import { wakeProposer } from '../ports/proposer-wakeup.js';
import { METRIC } from '../ports/telemetry.js';
import type { GroupHandover } from './group/hand-over-group.js';
import { sendBackStaleMemberHolder } from './group/stale-member-holder.js';
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
   * `replaced-collected`: it replaced a collected one of an earlier attempt, whose holding group was
   * sent back (`sendBackStaleMemberHolder`).
   */
  readonly recorded: RecordOutcome;
  readonly groups: readonly GroupHandover[];
  readonly expired: readonly string[];
}

/** What recording one delivered message came to, and the stages that read its topic. */
export interface RecordedDelivery {
  readonly messageId: string;
  readonly recorded: RecordOutcome;
  /** Stages reading the message's topic, in config order (none: only the proposer reads it). */
  readonly stages: readonly StageConfig[];
}

/**
 * Records a delivered message once (conditional create of `<topic>/<key>` in `pending`), and the
 * copy of each consuming stage when the topic fans out. A repeat delivery writes nothing.
 *
 * @throws InvalidInputError when the envelope id is not `<topic>/<key>` or the key does not fit the
 * consuming stage (the SQS handler reports it as a batch item failure → DLQ).
 */
export async function recordDelivery(deps: OrchestratorDeps, envelope: Envelope): Promise<RecordedDelivery> {
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
    const copy = inbox.shared
      ? await recordMessage(deps.store, { id: inbox.itemId(id), kind: inbox.kind, sortKey, data })
      : recorded;
    // A stale copy a group of the stage held was replaced in place: that group builds its input again.
    if (copy === 'replaced-collected') await sendBackStaleMemberHolder(deps, stage, inbox.itemId(id));
  }
  return { messageId: id, recorded, stages };
}

/**
 * Records a delivered message (`recordDelivery`), then runs the collectors of every stage reading
 * its topic and hands ready groups to their executors (the recovery sweeps run on the schedule,
 * not per message). A repeat delivery writes nothing but still runs the collectors, so it finishes
 * work a crashed delivery left half-done. A topic no stage reads (e.g. `aggregate-proofs`, read by
 * the proposer) is only recorded. The SQS handler does the same for a whole batch at once
 * (`dispatchBatch`).
 *
 * @throws InvalidInputError as `recordDelivery`.
 */
export async function dispatchMessage(deps: OrchestratorDeps, envelope: Envelope): Promise<DispatchOutcome> {
  const { messageId: id, recorded, stages } = await recordDelivery(deps, envelope);
  const { groups, expired } =
    stages.length === 0 ? { groups: [], expired: [] } : await runCollectors(deps, stages, { sweeps: false });
  await wakeProposerAfterDispatch(deps, envelope.topic === deps.config.proposer.inputTopic, groups);
  return { messageId: id, recorded, groups, expired };
}

/**
 * Wakes the proposer (`deps.proposerWakeup`, once) after a dispatch — of one message or of a whole
 * batch — that recorded a message on the proposer's input topic or handed a group over to
 * `awaiting-checkpoint`; never for plain blocks. A duplicate proof wakes too: the first delivery may
 * have crashed between its record and its wake-up. A failed wake-up is only logged.
 */
export async function wakeProposerAfterDispatch(
  deps: OrchestratorDeps,
  proofRecorded: boolean,
  groups: readonly GroupHandover[],
): Promise<void> {
  if (proofRecorded) await wakeProposer(deps, 'proof-recorded');
  else if (groups.some((g) => g.status === 'awaiting-checkpoint'))
    await wakeProposer(deps, 'group-awaits-checkpoint');
}
