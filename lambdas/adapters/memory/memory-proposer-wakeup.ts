import type { ProposerWakeup, ProposerWakeupReason } from '../../core/ports/proposer-wakeup.js';

/** Proposer wake-up that records each request for assertions; `failWith` makes every wake throw. */
export class MemoryProposerWakeup implements ProposerWakeup {
  readonly reasons: ProposerWakeupReason[] = [];

  constructor(private readonly failWith?: Error) {}

  async wake(reason: ProposerWakeupReason): Promise<void> {
    this.reasons.push(reason);
    if (this.failWith !== undefined) throw this.failWith;
  }
}
