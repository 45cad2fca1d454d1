import { sortKeyOf } from '../lambdas/core/messages/ids.js';
import { parseGroup } from '../lambdas/core/orchestrator/group/group-item.js';
import type { ProposerWakeup } from '../lambdas/core/ports/proposer-wakeup.js';
import type { StateStore } from '../lambdas/core/ports/state-store.js';

/**
 * The proposer's part in the orchestrator benchmark, run the way the pipeline runs the real one:
 * woken by the dispatcher (`wakeup`, `deps.proposerWakeup`: a group handed over to
 * `awaiting-checkpoint`, a proof recorded), and also on the benchmark's own poll, the stand-in for
 * the schedule. A wake-up starts a pass without waiting for it, like an asynchronous Lambda invoke;
 * one pass runs at a time, and a wake-up during a pass runs one more after it (nothing is missed).
 *
 * Before, the benchmark gave checkpoints and looked for finished aggregates only every 100 ms, so
 * the clock also measured up to 100 ms of its own polling after the last aggregate formed and again
 * after it succeeded (a pipeline's proposer is woken within seconds, see the README).
 */
export class BenchProposer {
  /** Wake-ups the dispatcher sent; on AWS each is a Lambda `Invoke` (asynchronous) call. */
  wakeups = 0;
  private passing: Promise<void> | undefined;
  private again = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];

  /** @param pass one proposer pass: give the waiting groups their checkpoint, look at what succeeded. */
  constructor(private readonly pass: () => Promise<void>) {}

  readonly wakeup: ProposerWakeup = {
    wake: async () => {
      this.wakeups += 1;
      // Kept and thrown by the benchmark's next `run`, which fails the benchmark with it.
      this.run().catch(() => undefined);
    },
  };

  /**
   * Runs a pass now, or one more after the pass in progress; resolves when no pass is left to run.
   * @throws the first error a pass threw (a wake-up's pass included), so the run fails with it.
   */
  async run(): Promise<void> {
    if (this.passing === undefined) this.passing = this.passes();
    else this.again = true;
    await this.passing;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Resolves at the end of the next pass (woken or polled). */
  nextPass(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async passes(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.pass();
        for (const resolve of this.waiters.splice(0)) resolve();
      } while (this.again);
    } catch (error) {
      this.failure ??= error;
      for (const resolve of this.waiters.splice(0)) resolve();
    } finally {
      this.passing = undefined;
    }
  }
}

/**
 * The pass of the benchmark's proposer: a checkpoint for every aggregate group that waits for one
 * (`give`), then the aggregated head moved over the groups that succeeded. Aggregates cover the
 * blocks from `startBlock` on one after the other, so a pass lists succeeded groups only from the
 * head on, not every one so far (which grew with the run).
 */
export class AggregatedHead {
  /** Every block up to here is in a succeeded aggregate group. */
  head: bigint;

  constructor(
    private readonly observer: StateStore,
    private readonly aggregateGroups: string,
    startBlock: bigint,
    private readonly give: (groupId: string) => Promise<unknown>,
  ) {
    this.head = startBlock;
  }

  async pass(): Promise<void> {
    for (const item of await this.observer.list(this.aggregateGroups, 'awaiting-checkpoint'))
      await this.give(item.id);
    const fromSortKey = sortKeyOf(this.head);
    for (const item of await this.observer.list(this.aggregateGroups, 'succeeded', { fromSortKey })) {
      const group = parseGroup(item);
      if (BigInt(group.start) === this.head) this.head = BigInt(group.end);
    }
  }
}
