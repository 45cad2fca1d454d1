import type { Envelope } from '../../core/messages/envelope.js';
import type { MessageBus } from '../../core/ports/message-bus.js';

/** MessageBus that keeps every published envelope in order, for assertions and for feeding dispatch. */
export class MemoryMessageBus implements MessageBus {
  readonly published: Envelope[] = [];

  async publish(envelopes: readonly Envelope[]): Promise<void> {
    await Promise.resolve();
    this.published.push(...structuredClone([...envelopes]));
  }

  /** Envelopes published on one topic. */
  onTopic(topic: string): Envelope[] {
    return this.published.filter((e) => e.topic === topic);
  }
}
