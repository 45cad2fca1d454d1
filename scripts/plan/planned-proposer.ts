import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { keyInterval } from '../../lambdas/core/messages/ids.js';
import type { ProposerGateway } from '../../lambdas/core/orchestrator/proposer-gateway.js';
import type { CheckpointGrant } from '../../lambdas/core/orchestrator/setup/program-plugin.js';
import type { VirtualSchedule } from './virtual-schedule.js';
import type { L1Model } from './world-model.js';

/** What the proposer reports to the planner. */
export interface ProposerEvents {
  checkpointGiven(groupIds: readonly string[], atMs: number): void;
  /** A proposal for (start, end] was included in an L1 block at `atMs`. */
  proposed(span: { start: bigint; end: bigint }, atMs: number): void;
}

/** L1 transactions the proposer sent, with their send times (epoch ms). */
export interface L1Activity {
  readonly checkpoints: number[];
  readonly proposals: number[];
}

/**
 * The proposer's decisions over the real `ProposerGateway` (the same door `runProposer` uses), with
 * L1 modelled: one run at a time (the signer lease); waiting aggregate groups get a checkpoint —
 * a stored one younger than `checkpointMaxAgeBlocks`, else a `checkpointBlockHash` tx, included one
 * L1 block after it is sent and confirmed `confirmations` blocks after it is sent — then pending
 * proofs are proposed in order from the oracle's head, each waiting for its confirmations before
 * the next is sent, as the tx manager does. `wake()` asks for a run soon (the `wake` mode's async
 * invoke); a wake during a run makes another run follow it.
 */
export class PlannedProposer {
  /** The simulated oracle's latest L2 block. */
  head: bigint;
  readonly l1: L1Activity = { checkpoints: [], proposals: [] };
  private busy = false;
  private again = false;
  private wakeQueued = false;
  private checkpointAt: number | undefined;

  constructor(
    private readonly gateway: ProposerGateway,
    private readonly schedule: VirtualSchedule,
    private readonly config: PipelineConfig,
    private readonly l1Model: L1Model,
    private readonly grant: CheckpointGrant,
    private readonly events: ProposerEvents,
    private readonly wakeLatencySeconds: number,
    origin: bigint,
  ) {
    this.head = origin;
  }

  /** A scheduled run: skipped when a run holds the lease. */
  async scheduled(): Promise<void> {
    if (!this.busy) await this.start();
  }

  /** Asks for a run `wakeLatencySeconds` from now (or right after the current one). */
  wake(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    this.schedule.after(this.wakeLatencySeconds, async () => {
      this.wakeQueued = false;
      await this.scheduled();
    });
  }

  private get l1BlockMs(): number {
    return this.l1Model.blockSeconds * 1000;
  }

  private get confirmMs(): number {
    return Math.max(1, this.config.proposer.confirmations) * this.l1BlockMs;
  }

  private async start(): Promise<void> {
    this.busy = true;
    const waiting = await this.gateway.groupsAwaitingCheckpoint();
    if (waiting.length === 0) return this.proposeNext();
    const now = this.schedule.nowMs;
    const maxAgeMs = this.config.proposer.checkpointMaxAgeBlocks * this.l1BlockMs;
    const give = async () => {
      for (const group of waiting) await this.gateway.giveCheckpoint(group.id, this.grant);
      this.events.checkpointGiven(
        waiting.map((g) => g.id),
        this.schedule.nowMs,
      );
      await this.proposeNext();
    };
    if (this.checkpointAt !== undefined && now - this.checkpointAt < maxAgeMs) return give();
    this.l1.checkpoints.push(now);
    this.checkpointAt = now + this.l1BlockMs;
    this.schedule.after(this.confirmMs / 1000, give);
  }

  private async proposeNext(): Promise<void> {
    for (const proof of await this.gateway.pendingProofs()) {
      const span = keyInterval(proof.envelope.key, 'range');
      if (span.end <= this.head) {
        await this.gateway.settleProof(proof.id, 'skipped');
        continue;
      }
      if (span.start !== this.head) break;
      const sentAt = this.schedule.nowMs;
      this.l1.proposals.push(sentAt);
      this.head = span.end;
      this.events.proposed(span, sentAt + this.l1BlockMs);
      this.schedule.after(this.confirmMs / 1000, async () => {
        await this.gateway.settleProof(proof.id, 'proposed');
        await this.proposeNext();
      });
      return;
    }
    this.busy = false;
    if (this.again) {
      this.again = false;
      this.wake();
    }
  }
}
