import type { Envelope } from '../messages/envelope.js';

/**
 * Publishes envelopes to their topics (one SQS queue per topic on AWS, the SQS stand-in locally).
 * Delivery is at-least-once; consumers deduplicate by envelope id. Implementations batch, retry
 * partial failures and throw only when a message could not be sent after retries.
 */
export interface MessageBus {
  publish(envelopes: readonly Envelope[]): Promise<void>;
}
