import type { StageConfig } from '../config/schema.js';
import type { Envelope } from '../messages/envelope.js';
import { type RecordedDelivery, recordDelivery, wakeProposerAfterDispatch } from './dispatch-message.js';
import { type CollectorsOutcome, runCollectors } from './run-collectors.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';

/**
 * The messages of one delivered batch (an SQS event), dispatched as a batch: every message is
 * recorded first (`record`; messages with different ids in parallel, repeats of one id one after
 * the other), then the collectors run ONCE for the stages reading the recorded topics (`collect`),
 * instead of once per message. A message whose recording failed is the caller's to report; the
 * collector run still takes the others. When the collector run fails, the caller redelivers every
 * message of the batch: recording is idempotent, so the redelivery only runs the collectors again.
 * The proposer is woken at most once per batch (`wakeProposerAfterDispatch`).
 *
 * @example
 * const batch = new DeliveryBatch(deps);
 * await Promise.allSettled(envelopes.map((envelope) => batch.record(envelope)));
 * const { groups } = await batch.collect();
 */
export class DeliveryBatch {
  private readonly lastOf = new Map<string, Promise<unknown>>();
  private readonly consumed = new Set<StageConfig>();
  private proofRecorded = false;

  constructor(private readonly deps: OrchestratorDeps) {}

  /**
   * Records one message of the batch (`recordDelivery`), after any earlier call for the same id.
   * @throws InvalidInputError as `recordDelivery`; a store error as the store throws it.
   */
  record(envelope: Envelope): Promise<RecordedDelivery> {
    const previous = this.lastOf.get(envelope.id) ?? Promise.resolve();
    const delivery = previous
      .catch(() => undefined)
      .then(() => recordDelivery(this.deps, envelope))
      .then((recorded) => {
        for (const stage of recorded.stages) this.consumed.add(stage);
        if (envelope.topic === this.deps.config.proposer.inputTopic) this.proofRecorded = true;
        return recorded;
      });
    this.lastOf.set(envelope.id, delivery);
    return delivery;
  }

  /**
   * Runs the collectors once, without sweeps, for the stages reading the topics recorded so far
   * (in config order; nothing when no stage reads them), then wakes the proposer once if the batch
   * recorded a proof for it or handed a group over to `awaiting-checkpoint`.
   * @throws the first error of the collector run (`runCollectors`).
   */
  async collect(): Promise<CollectorsOutcome> {
    const stages = this.deps.config.stages.filter((stage) => this.consumed.has(stage));
    const outcome =
      stages.length === 0
        ? { groups: [], expired: [] }
        : await runCollectors(this.deps, stages, { sweeps: false });
    await wakeProposerAfterDispatch(this.deps, this.proofRecorded, outcome.groups);
    return outcome;
  }
}
