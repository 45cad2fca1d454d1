import type { StageConfig } from '../../config/schema.js';
import { payloadKey } from '../../messages/blob-keys.js';
import type { Envelope } from '../../messages/envelope.js';
import { makeEnvelope } from '../../messages/make-envelope.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { ProgramResult } from '../setup/program-plugin.js';

/**
 * Publishes one envelope per job result on the stage's output topic, under the result's key.
 * A payload above `storage.inlinePayloadMaxBytes` is written to the blob store and travels by key.
 * Ids are deterministic, so a republish after a crash is recorded once downstream; each envelope
 * carries the producing attempt, so a reopened group's new result replaces its superseded one.
 */
export async function publishResults(
  deps: OrchestratorDeps,
  stage: Pick<StageConfig, 'outputTopic'>,
  results: readonly ProgramResult[],
  attempt: number,
): Promise<Envelope[]> {
  const envelopes: Envelope[] = [];
  for (const { key, document } of results) {
    const envelope = makeEnvelope(stage.outputTopic, key, document, deps.clock.now(), attempt);
    const size = new TextEncoder().encode(JSON.stringify(document)).byteLength;
    if (size <= deps.config.storage.inlinePayloadMaxBytes) {
      envelopes.push(envelope);
      continue;
    }
    const blobKey = payloadKey(stage.outputTopic, key);
    await deps.blobs.putJson(blobKey, document);
    const { payload: _inline, ...byKey } = envelope;
    envelopes.push({ ...byKey, payloadKey: blobKey });
  }
  await deps.bus.publish(envelopes);
  return envelopes;
}
