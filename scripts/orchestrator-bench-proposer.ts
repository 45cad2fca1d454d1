import type { ProposerWakeup } from '../lambdas/core/ports/proposer-wakeup.js';

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
