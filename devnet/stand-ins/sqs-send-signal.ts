/**
 * Tells the SQS stand-in's consumers that a queue got a message, so a local event source wakes on
 * a send instead of polling an empty queue (the managed poller long-polls; a wake is its local
 * equivalent). Messages that become visible again (visibility timeout, delay, redrive) send no
 * signal: consumers still poll for those.
 */
export class SqsSendSignal {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` after every send to `queueName` until the returned function is called. */
  subscribe(queueName: string, listener: () => void): () => void {
    const listeners = this.listeners.get(queueName) ?? new Set();
    listeners.add(listener);
    this.listeners.set(queueName, listeners);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Wakes the listeners of `queueName` (after the message is stored, so a receive finds it). */
  notify(queueName: string): void {
    for (const listener of this.listeners.get(queueName) ?? []) listener();
  }
}
