import { PipelineError } from '../core/errors.js';
import type { MessageBus } from '../core/ports/message-bus.js';

/** A handler that publishes no message was asked to publish one. */
export class NoMessageBusError extends PipelineError {
  override readonly name: string = 'NoMessageBusError';
}

/**
 * The bus of a handler whose path publishes nothing: the proposer settles proof messages and starts
 * aggregate jobs in the state store, it sends no message, so its bundle carries no SQS client.
 * `publish` throws, naming the handler, should a change ever route a publish through it.
 */
export function noMessageBus(handler: string): MessageBus {
  return {
    async publish(envelopes) {
      throw new NoMessageBusError(
        `the ${handler} handler publishes no messages (asked to publish ${envelopes.map((e) => e.id).join(', ')}): ` +
          'give its composition root an SQS message bus (sqsMessageBusFromEnv) if it must',
      );
    },
  };
}
