import type { AggregateResult } from '../../lambdas/core/executor/aggregate-contract.js';
import type { Envelope } from '../../lambdas/core/messages/envelope.js';
import { keyInterval } from '../../lambdas/core/messages/ids.js';
import type { ProposerGateway } from '../../lambdas/core/orchestrator/proposer-gateway.js';
import type { Prng } from './prng.js';
import { CHAOS_GRANT } from './world.js';

/** Chance that a proposer run finds one pending proof's checkpoint reorged out of L1. */
const L1_REORG_RATE = 0.08;
/** Checkpoint reorgs per seed at most (each one re-proves an aggregate). */
const MAX_L1_REORGS = 3;

/**
 * The proposer's side of a seed, through the same `ProposerGateway` the real proposer uses: gives
 * checkpoints to waiting groups, then proposes pending proofs in order to a simulated oracle (its
 * head moves before the message is settled, as a mined tx comes before the record), settling the
 * ones the oracle already covers, or, as an injected fault, reports one pending proof's checkpoint
 * as reorged out of L1 (`reopenProof`), which sends its group back to be proven again. As the
 * real proposer (`aggregateRefusal`), it proposes a proof only when it starts from the oracle's
 * latest root and, with `verifyOutputRoot`, claims the L2's output root now: one built on blocks an
 * L2 reorg replaced waits for the watcher's rewind.
 */
export class SimulatedProposer {
  /** The simulated oracle: the L2 block of every output it holds, origin first. */
  readonly outputs: bigint[];
  /** The output root the oracle holds for each of `outputs` (undefined for the origin). */
  readonly roots: (string | undefined)[] = [undefined];
  private reorgs = 0;

  constructor(
    private readonly gateway: ProposerGateway,
    private readonly rng: Prng,
    origin: bigint,
    private readonly count: (fault: string) => void,
    /** The L2 node's output root at a block now. */
    private readonly canonicalRoot: (n: bigint) => string,
  ) {
    this.outputs = [origin];
  }

  /** The oracle's latest L2 block. */
  get head(): bigint {
    return this.outputs[this.outputs.length - 1] as bigint;
  }

  /** One scheduled run (it may crash anywhere; the next run starts over from the store and the oracle). */
  async run(faultsOn: boolean): Promise<void> {
    for (const group of await this.gateway.groupsAwaitingCheckpoint())
      await this.gateway.giveCheckpoint(group.id, CHAOS_GRANT);
    const pending = (await this.gateway.pendingProofs()).map((proof) => ({
      ...proof,
      interval: keyInterval(proof.envelope.key, 'range'),
    }));
    if (faultsOn && pending.length > 0 && this.reorgs < MAX_L1_REORGS && this.rng.chance(L1_REORG_RATE)) {
      const stale = this.rng.pick(pending);
      this.reorgs += 1;
      this.count('l1-checkpoint-reorg');
      await this.gateway.reopenProof({
        messageId: stale.id,
        interval: stale.interval,
        reason: 'chaos: the checkpoint block left the canonical L1 chain',
      });
      return;
    }
    for (const proof of pending) {
      if (proof.interval.end <= this.head) {
        // Proposed when the oracle holds this proof's root there (the run that proposed it died
        // before settling it), else skipped: the oracle moved past it, or holds another branch's root.
        const at = this.outputs.indexOf(proof.interval.end);
        const held = at > 0 && this.roots[at] === (await this.claimedRoots(proof.envelope)).claimRoot;
        await this.gateway.settleProof(proof.id, held ? 'proposed' : 'skipped');
        continue;
      }
      if (proof.interval.start !== this.head) break;
      const { preRoot, claimRoot } = await this.claimedRoots(proof.envelope);
      const latest = this.roots[this.roots.length - 1] ?? this.canonicalRoot(this.head).toLowerCase();
      if (preRoot !== latest || claimRoot !== this.canonicalRoot(proof.interval.end).toLowerCase()) {
        this.count('old-branch-proof-refused');
        break;
      }
      this.outputs.push(proof.interval.end);
      this.roots.push(claimRoot);
      await this.gateway.settleProof(proof.id, 'proposed');
    }
  }

  /** The roots a pending aggregate proof starts from and claims (lower case). */
  private async claimedRoots(envelope: Envelope): Promise<{ preRoot: string; claimRoot: string }> {
    const { outputs } = (await this.gateway.proofPayload(envelope)) as AggregateResult;
    return { preRoot: outputs.l2PreRoot.toLowerCase(), claimRoot: outputs.claimRoot.toLowerCase() };
  }
}
