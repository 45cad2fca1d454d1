import { InstantJobRunner, syntheticWord } from '../../devnet/instant-job-runner.js';
import { ManualClock } from '../../lambdas/adapters/memory/manual-clock.js';
import { MemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryMessageBus } from '../../lambdas/adapters/memory/memory-message-bus.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { keyInterval } from '../../lambdas/core/messages/ids.js';
import { dispatchMessage } from '../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../lambdas/core/orchestrator/group/finish-job.js';
import { proposerGateway } from '../../lambdas/core/orchestrator/proposer-gateway.js';
import { runScheduledCollectors } from '../../lambdas/core/orchestrator/scheduled-collectors.js';
import type { OrchestratorDeps } from '../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { CheckpointGrant } from '../../lambdas/core/orchestrator/setup/program-plugin.js';
import type { JobSpec } from '../../lambdas/core/ports/job-runner.js';
import { programPlugins } from '../../lambdas/core/programs/program-plugins.js';
import { watchL2Blocks } from '../../lambdas/watcher/watch-l2-blocks.js';
import { Prng } from '../chaos/prng.js';
import { BlockTimeline } from './block-timeline.js';
import { type FleetUsage, GpuFleet } from './gpu-fleet.js';
import { GpuPoolJobRunner } from './gpu-pool-job-runner.js';
import { IndexedStateStore } from './indexed-state-store.js';
import { ModelledL2 } from './modelled-l2.js';
import { type L1Activity, PlannedProposer } from './planned-proposer.js';
import { PlannerLogger, silentMetrics } from './planner-telemetry.js';
import { aggregateProvingSeconds, rangeProvingSeconds } from './proving-time.js';
import { stragglerFactor } from './straggler-model.js';
import { VirtualSchedule } from './virtual-schedule.js';
import type { WorldModel } from './world-model.js';

/** When the proposer runs: on its schedule only, or also woken by a formed group or an arrived proof. */
export type ProposerMode = 'schedule' | 'wake';

export interface PlanScenario {
  readonly config: PipelineConfig;
  /** Blocks per range group (the aggregate's ranges are counted with it). */
  readonly rangeSize: number;
  readonly model: WorldModel;
  /** The GPU cap (instances of one GPU each). */
  readonly gpus: number;
  /** Of `gpus`, how many may be Spot (the rest start on-demand). @default gpus (any may be Spot) */
  readonly spotGpus?: number;
  /** Hours of L2 blocks whose lag and cost are measured. */
  readonly hours: number;
  readonly proposer: ProposerMode;
  readonly seed: number;
  /** Hours the simulation may go on past the window for the window's blocks to be proposed. @default min(6, max(1, hours)) */
  readonly drainHours?: number;
  /**
   * The virtual time the simulation starts at: a UTC day boundary inside the run resets the
   * stages' `executor.budget` (the cost guard counts per UTC day). @default PLAN_START
   */
  readonly startAt?: string;
}

/** What one simulation leaves for the report. */
export interface PlanRun {
  readonly scenario: PlanScenario;
  readonly timeline: BlockTimeline;
  /** Blocks produced in the window (offsets 1 … windowBlocks). */
  readonly windowBlocks: number;
  /** Seconds simulated in all. */
  readonly endSeconds: number;
  /** GPU usage over the whole simulation. */
  readonly fleet: FleetUsage;
  /** L1 transactions over the whole simulation. */
  readonly l1: L1Activity;
  /** Blocks proposed by the end (window and drain). */
  readonly proposedBlocks: number;
  /** Seconds from production to `chains.l2.finality` covering a block. */
  readonly finalitySeconds: number;
  /** Error lines the pipeline's code logged (the first few), e.g. an abandoned group. */
  readonly errors: readonly string[];
  /** Wall-clock milliseconds the simulation took. */
  readonly wallMs: number;
}

/** The virtual time every simulation starts at. */
export const PLAN_START = '2025-01-01T00:00:00.000Z';
const ROLLUP_CONFIG_HASH = syntheticWord('planner-rollup-config');
const GRANT: CheckpointGrant = {
  checkpoint: { l1BlockNumber: '1', l1BlockHash: syntheticWord('planner-l1-checkpoint') },
  rangeVkey: syntheticWord('planner-range-vkey'),
  proverAddress: '0x00000000000000000000000000000000000091a4',
};

/**
 * Runs the pipeline's own logic — `watchL2Blocks`, `dispatchMessage` and the collectors,
 * `runScheduledCollectors` (as the watcher's tick runs them, sweeps when due) on the watcher's schedule, the group lifecycle (`finishJob`,
 * retries, bisection) and the proposer's door (`ProposerGateway`) — over in-memory ports on a
 * virtual clock, against the modelled world: L2 blocks and finality, a capped GPU fleet with cold
 * starts and Spot reclaims, and L1 inclusion. Messages are delivered as soon as they are published.
 */
export async function simulatePlan(scenario: PlanScenario): Promise<PlanRun> {
  const wallStart = performance.now();
  const { config, model } = scenario;
  const clock = new ManualClock(scenario.startAt ?? PLAN_START);
  const schedule = new VirtualSchedule(clock);
  const startMs = clock.now().getTime();
  const origin = BigInt(config.chains.l2.startBlock);
  const windowSeconds = scenario.hours * 3600;
  const endSeconds = windowSeconds + (scenario.drainHours ?? Math.min(6, Math.max(1, scenario.hours))) * 3600;
  const windowBlocks = Math.floor(windowSeconds / model.chain.blockSeconds);
  const timeline = new BlockTimeline(origin, Math.ceil(endSeconds / model.chain.blockSeconds) + 1);
  const seconds = () => (schedule.nowMs - startMs) / 1000;
  const spanOf = (spec: JobSpec) => keyInterval(spec.groupId.slice(spec.groupId.indexOf('/') + 1), 'range');
  const store = new IndexedStateStore(() => clock.now());
  const bus = new MemoryMessageBus();
  const blobs = new MemoryBlobStore();
  const prover = new InstantJobRunner({
    blobs,
    context: { rollupConfigHash: ROLLUP_CONFIG_HASH, ...GRANT },
    complete: async () => {},
  });
  const fleet = new GpuFleet(
    model.fleet,
    { total: scenario.gpus, spot: scenario.spotGpus ?? scenario.gpus },
    new Prng(scenario.seed),
  );
  let proposer: PlannedProposer | undefined;
  const jobs = new GpuPoolJobRunner({
    schedule,
    fleet,
    spot: model.fleet.spot,
    durationSeconds: (spec) => {
      const span = spanOf(spec);
      const blocks = Number(span.end - span.start);
      const modelled =
        spec.executor.program === 'range'
          ? rangeProvingSeconds(model.proving, model.chain, blocks)
          : aggregateProvingSeconds(
              model.proving,
              Math.ceil(blocks / scenario.rangeSize),
              spec.executor.proofMode,
            );
      return modelled * stragglerFactor(model.proving, scenario.seed, spec.name);
    },
    writeOutput: async (spec) => {
      await prover.submit(spec);
      await prover.settled();
    },
    events: {
      submitted: (spec) =>
        timeline.mark(
          spec.executor.program === 'range' ? 'rangeSubmitted' : 'aggregateSubmitted',
          spanOf(spec),
          seconds(),
        ),
      started: (spec) => {
        if (spec.executor.program === 'range') timeline.mark('rangeStarted', spanOf(spec), seconds());
      },
      finished: async (spec, completion) => {
        await finishJob(deps, completion);
        if (completion.status === 'SUCCEEDED')
          timeline.mark(
            spec.executor.program === 'range' ? 'rangeDone' : 'aggregateDone',
            spanOf(spec),
            seconds(),
          );
        await deliver();
      },
    },
  });
  const logger = new PlannerLogger();
  const deps: OrchestratorDeps = {
    config,
    store,
    bus,
    blobs,
    jobs,
    clock,
    logger,
    metrics: silentMetrics,
    programs: programPlugins({ rollupConfigHash: ROLLUP_CONFIG_HASH }),
    origin,
    // `--proposer wake`: the dispatcher's own wake-ups (a proof recorded, a group handed over to
    // awaiting-checkpoint) reach the modelled proposer, as the async Lambda invoke does on AWS.
    ...(scenario.proposer === 'wake' ? { proposerWakeup: { wake: async () => proposer?.wake() } } : {}),
  };
  const gateway = proposerGateway(deps);

  const formed = new Set<string>();
  /** Stamps aggregate groups that entered `awaiting-checkpoint` since the last look. */
  const noticeFormedGroups = async () => {
    for (const group of await gateway.groupsAwaitingCheckpoint()) {
      if (formed.has(group.id)) continue;
      formed.add(group.id);
      timeline.mark('aggregateFormed', { start: group.start, end: group.end }, seconds());
    }
  };
  let delivered = 0;
  /** SQS → dispatcher, in publication order, until nothing new is published. */
  const deliver = async () => {
    while (delivered < bus.published.length) {
      const envelope = bus.published[delivered++];
      if (envelope !== undefined) await dispatchMessage(deps, envelope);
    }
    await noticeFormedGroups();
  };
  proposer = new PlannedProposer(
    gateway,
    schedule,
    config,
    model.l1,
    GRANT,
    {
      checkpointGiven: () => {},
      proposed: (span, atMs) => timeline.mark('proposed', span, (atMs - startMs) / 1000),
    },
    model.wakeLatencySeconds,
    origin,
  );
  const l2 = new ModelledL2(model.chain, origin, startMs, () => schedule.nowMs);
  const finalitySeconds = l2.delaySeconds(config.chains.l2.finality);
  const every = (period: number, run: () => Promise<void>) => {
    const tick = async () => {
      await run();
      schedule.after(period, tick);
    };
    schedule.after(period, tick);
  };
  every(config.watcher.schedule.everySeconds, async () => {
    await watchL2Blocks({ ...deps, source: l2 });
    await deliver();
    await runScheduledCollectors(deps);
    await deliver();
    timeline.heads.push({
      atSeconds: seconds(),
      l2Head: l2.producedHead(),
      provenHead: timeline.provenHead(),
      proposedHead: Number((proposer as PlannedProposer).head - origin),
    });
  });
  every(config.proposer.schedule.everySeconds, async () => (proposer as PlannedProposer).scheduled());
  const lastWindowBlock = origin + BigInt(windowBlocks);
  await schedule.runUntil(
    startMs + endSeconds * 1000,
    () => (proposer as PlannedProposer).head >= lastWindowBlock,
  );
  const stoppedAt = seconds();
  return {
    scenario,
    timeline,
    windowBlocks,
    endSeconds: stoppedAt,
    fleet: fleet.usage(startMs, schedule.nowMs),
    proposedBlocks: Number(proposer.head - origin),
    l1: proposer.l1,
    finalitySeconds,
    errors: logger.errors,
    wallMs: performance.now() - wallStart,
  };
}
