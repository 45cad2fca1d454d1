import type { Envelope } from './envelope.js';
import { messageId } from './ids.js';

/**
 * Builds the envelope for `payload` on `topic` under `key`. The id is deterministic, so
 * publishing the same (topic, key) twice yields the same message, recorded once. `createdAt` is
 * the publisher's clock reading.
 */
export function makeEnvelope(
  topic: string,
  key: string,
  payload: unknown,
  createdAt: Date,
  attempt = 0,
): Envelope {
  return {
    v: 1,
    id: messageId(topic, key),
    topic,
    key,
    payload,
    attempt,
    createdAt: createdAt.toISOString(),
  };
}
