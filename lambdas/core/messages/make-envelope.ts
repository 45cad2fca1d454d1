import type { Clock } from '../ports/clock.js';
import type { Envelope } from './envelope.js';
import { messageId } from './ids.js';

/**
 * Builds the envelope for `payload` on `topic` under `key`. The id is deterministic, so
 * publishing the same (topic, key) twice yields the same message, recorded once.
 */
export function makeEnvelope(
  topic: string,
  key: string,
  payload: unknown,
  clock: Clock,
  attempt = 0,
): Envelope {
  return {
    v: 1,
    id: messageId(topic, key),
    topic,
    key,
    payload,
    attempt,
    createdAt: clock.now().toISOString(),
  };
}
