import { setTimeout as sleep } from 'node:timers/promises';
import { type BatchJobStateChangeEvent, batchJobStateChangeEvent } from './batch-job-state-change.js';
import type { LocalJob } from './local-job.js';

/** Where and how the local Batch delivers terminal state changes. */
export interface StateChangeDeliveryOptions {
  /** The listener (the EventBridge rule's target); a throw is retried. */
  readonly onStateChange: (event: BatchJobStateChangeEvent) => Promise<void>;
  readonly region: string;
  /** Back-off between deliveries of a state change the listener refused. */
  readonly backoff: { readonly firstMs: number; readonly maxMs: number };
  readonly onLog?: (line: string) => void;
}

/**
 * The terminal state-change events in flight, each retried like an EventBridge target until the
 * listener accepts it or the runner stops.
 */
export class StateChangeDeliveries {
  private stopped = false;
  /** Aborts the back-off waits on stop. */
  private readonly stopping = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: StateChangeDeliveryOptions) {}

  /**
   * Delivers the job's terminal event until it is accepted or the runner stops (events are
   * idempotent, and a job whose event is lost would leave its group `running`), with a capped
   * exponential back-off. After a stop, one try is still made.
   * @param onDelivered - called once the listener accepted the event (the runner records it, so an
   *   event not delivered by stop is delivered again on the next start).
   */
  deliver(job: LocalJob, onDelivered: () => void): void {
    const { backoff, onLog, onStateChange, region } = this.options;
    const delivery = (async () => {
      for (let attempt = 1; !this.stopped || attempt === 1; attempt += 1) {
        try {
          await onStateChange(batchJobStateChangeEvent(job, region));
          onDelivered();
          return;
        } catch (error) {
          onLog?.(
            `job-state delivery for ${job.jobName} failed (try ${attempt}): ${(error as Error).message}`,
          );
          await sleep(Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt - 1, 16)), undefined, {
            signal: this.stopping.signal,
          }).catch(() => undefined);
        }
      }
    })();
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Stops retrying: deliveries in a back-off wait end after their current try. */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
  }

  /** Resolves once every delivery in flight has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
