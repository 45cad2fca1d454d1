import type { PipelineConfig } from '../../../../../lambdas/core/config/schema.js';
import {
  dispatchMessage,
  recordDelivery,
} from '../../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../../lambdas/core/orchestrator/group/finish-job.js';
import { runCollectors } from '../../../../../lambdas/core/orchestrator/run-collectors.js';
import type { L2Block, L2BlockSource } from '../../../../../lambdas/watcher/l2-block-source.js';
import { type WatchedBlocks, watchL2Blocks } from '../../../../../lambdas/watcher/watch-l2-blocks.js';
import { devnetConfig, hashOf, makeDeps, rangeResult, type TestDeps } from '../orchestrator-fixture.js';

/** The devnet config following the L2 `safe` head (the finality a rewind applies to). */
export function safeConfig(finality: 'safe' | 'finalized' = 'safe'): PipelineConfig {
  const config = devnetConfig();
  return { ...config, chains: { ...config.chains, l2: { ...config.chains.l2, finality } } };
}

/** A fake L2 whose blocks above `forkAbove` are of branch `branch` (a different hash per branch). */
export class FakeL2 implements L2BlockSource {
  constructor(
    public headNumber: bigint,
    public forkAbove = -1n,
    public branch = 0,
  ) {}

  /** Reorganises the chain: blocks above `ancestor` get new hashes, the head moves to `head`. */
  reorg(ancestor: bigint, head: bigint): void {
    this.forkAbove = ancestor;
    this.branch += 1;
    this.headNumber = head;
  }

  hash(n: bigint): string {
    return hashOf(n, n > this.forkAbove ? this.branch : 0);
  }

  async head(): Promise<L2Block> {
    return this.block(this.headNumber);
  }

  async block(n: bigint): Promise<L2Block> {
    return { number: n, hash: this.hash(n), parentHash: this.hash(n - 1n), gasUsed: 21_000n };
  }
}

/** The memory pipeline with a watcher over a fake L2 and a hand that delivers what was published. */
export class RewindRig<S extends L2BlockSource = FakeL2> {
  readonly t: TestDeps;
  private delivered = 0;

  constructor(
    readonly l2: S,
    config: PipelineConfig = safeConfig(),
  ) {
    this.t = makeDeps({ ...config, watcher: { ...config.watcher, maxBlocksPerRun: 300 } });
  }

  /** One watcher run, which must not be paused (no test here sets a pause switch). */
  async watch(): Promise<WatchedBlocks> {
    const outcome = await watchL2Blocks({ ...this.t.deps, source: this.l2 });
    if (outcome.paused !== undefined)
      throw new Error(`watcher unexpectedly paused: ${outcome.paused.reason}`);
    return outcome;
  }

  /** Delivers every message published since the last call (blocks, proofs), in order. */
  async deliver(): Promise<void> {
    const published = this.t.bus.published;
    while (this.delivered < published.length)
      await dispatchMessage(this.t.deps, published[this.delivered++]!);
  }

  /** Records every message published since the last delivery without running the collectors (`recordDelivery`). */
  async record(): Promise<void> {
    const published = this.t.bus.published;
    while (this.delivered < published.length) await recordDelivery(this.t.deps, published[this.delivered++]!);
  }

  /** Runs the collectors of `stage` once, as a delivery does after recording (no sweeps). */
  async collect(stage: string): Promise<void> {
    await runCollectors(
      this.t.deps,
      this.t.deps.config.stages.filter((s) => s.name === stage),
      { sweeps: false },
    );
  }

  /** Finishes range job `range/<start>-<end>` attempt `attempt` with a valid proof (`result`, by default the canonical one). */
  async proveRange(start: bigint, end: bigint, attempt = 1, result: unknown = rangeResult(start, end)) {
    await this.t.blobs.putJson(`jobs/range/${start}-${end}/a${attempt}/output.json`, result);
    return this.finishRange(start, end, attempt, { status: 'SUCCEEDED' });
  }

  /** Fails range job `range/<start>-<end>` attempt `attempt` (a prover failure). */
  failRange(start: bigint, end: bigint, attempt: number) {
    return this.finishRange(start, end, attempt, { status: 'FAILED', reason: 'bad block' });
  }

  private finishRange(
    start: bigint,
    end: bigint,
    attempt: number,
    outcome: { status: 'SUCCEEDED' } | { status: 'FAILED'; reason: string },
  ) {
    return finishJob(this.t.deps, {
      stage: 'range',
      groupId: `range/${start}-${end}`,
      attempt,
      jobName: `range-${start}-${end}-a${attempt}`,
      ...outcome,
    });
  }

  async status(id: string): Promise<string | undefined> {
    return (await this.t.store.get(id))?.status;
  }

  /** id → status (a cursor's: its position) of every stored item, for comparing two runs. */
  statuses(): Record<string, string> {
    return Object.fromEntries(
      this.t.store
        .all()
        .map((i) => [i.id, i.kind === 'cursor' ? `${i.status}@${String(i.data.position)}` : i.status]),
    );
  }
}
