import { ServiceCallCounter, type StandInService, UNATTRIBUTED_CALLER } from './service-call-counter.js';
import type { RecordedCall } from './storage-stand-ins-messages.js';

/**
 * A `ServiceCallCounter` for a stand-in in a child process: it keeps no counts but hands each
 * recorded call to `forward` in batches, one per event-loop turn (an IPC message per request cost
 * more than the request's own counting), so the parent's counter replays them.
 */
export class ForwardedCallCounter extends ServiceCallCounter {
  private pending: RecordedCall[] = [];
  private scheduled = false;

  constructor(private readonly forward: (calls: RecordedCall[]) => void) {
    super();
  }

  override record(service: StandInService, operation: string, caller: string = UNATTRIBUTED_CALLER): void {
    if (service !== 'dynamodb' && service !== 's3') {
      throw new Error(`ForwardedCallCounter: only dynamodb and s3 are forwarded (got "${service}")`);
    }
    this.pending.push([service, operation, caller]);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Forwards what is pending now (also called before the process closes). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const calls = this.pending;
    this.pending = [];
    this.forward(calls);
  }
}
