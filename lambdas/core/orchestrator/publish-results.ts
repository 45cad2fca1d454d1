import type { StageConfig } from '../config/schema.js';
import { type ExecutorResult, resultKey } from '../executor/program-contracts.js';
import { payloadKey } from '../messages/blob-keys.js';
import type { Envelope } from '../messages/envelope.js';
import { makeEnvelope } from '../messages/make-envelope.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Publishes one envelope per executor result on the stage's output topic, keyed `start-end`.
 * A payload above `storage.inlinePayloadMaxBytes` is written to the blob store and travels by key.
 * Ids are deterministic, so a republish after a crash is recorded once downstream.
 */
export async function publishResults(
  deps: OrchestratorDeps,
  stage: StageConfig,
  results: readonly ExecutorResult[],
): Promise<Envelope[]> {
  const envelopes: Envelope[] = [];
  for (const result of results) {
    const key = resultKey(result);
    const envelope = makeEnvelope(stage.outputTopic, key, result, deps.clock.now());
    const size = new TextEncoder().encode(JSON.stringify(result)).byteLength;
    if (size <= deps.config.storage.inlinePayloadMaxBytes) {
      envelopes.push(envelope);
      continue;
    }
    const blobKey = payloadKey(stage.outputTopic, key);
    await deps.blobs.putJson(blobKey, result);
    const { payload: _inline, ...byKey } = envelope;
    envelopes.push({ ...byKey, payloadKey: blobKey });
  }
  await deps.bus.publish(envelopes);
  return envelopes;
}
