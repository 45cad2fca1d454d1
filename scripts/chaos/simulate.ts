import type { Envelope } from '../../lambdas/core/messages/envelope.js';
import { blockKey } from '../../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../lambdas/core/orchestrator/group/finish-job.js';
import { proposerGateway } from '../../lambdas/core/orchestrator/proposer-gateway.js';
import { L2_REWIND_ID } from '../../lambdas/core/orchestrator/rewind/rewind-intent.js';
import {
  parseWatcherCursor,
  WATCHER_CURSOR_ID,
} from '../../lambdas/core/orchestrator/rewind/watcher-cursor.js';
import { runCollectors } from '../../lambdas/core/orchestrator/run-collectors.js';
import { runScheduledCollectors } from '../../lambdas/core/orchestrator/scheduled-collectors.js';
import { watchL2Blocks } from '../../lambdas/watcher/watch-l2-blocks.js';
import type { ChaosSnapshot } from './chaos-snapshot.js';
import { SimulatedCrash } from './crash-switch.js';
import { SimulatedExecutor } from './executor.js';
import { type ChaosVerdict, checkInvariants } from './invariants.js';
import { L2ReorgInjector, type WatcherProgress } from './l2-reorg-injector.js';
import { Prng } from './prng.js';
import { readProofRoots } from './proof-roots.js';
import { SimulatedProposer } from './proposer.js';
import { SimulatedL2 } from './simulated-l2.js';
import { chaosConfig, makeWorld, type World } from './world.js';

export interface SeedOptions {
  /** Blocks the watcher publishes; default a seeded 40–100. */
  readonly blocks?: number;
  /** Steps before the run counts as stuck. @default 6000 */
  readonly maxSteps?: number;
  /** Steps with faults on; afterwards every job succeeds and nothing crashes. @default 2000 */
  readonly faultSteps?: number;
  /**
   * Inject L2 reorgs (`L2ReorgInjector`): the real watcher (`watchL2Blocks`, finality `safe`) reads
   * a simulated L2 and rewinds the pipeline. Off: blocks are published as the watcher would,
   * without a cursor (the runs of the seeds before reorgs were simulated). @default false
   */
  readonly l2Reorgs?: boolean;
}

export interface SeedReport extends ChaosVerdict {
  readonly seed: number;
  readonly blocks: number;
  readonly steps: number;
  readonly faults: Record<string, number>;
}

const CRASH_RATE = 0.12;
const DUPLICATE_DELIVERY_RATE = 0.15;
/** Weight of an L2 reorg among a step's actions while faults are on (a delivery weighs 6). */
const L2_REORG_WEIGHT = 0.4;

/**
 * One seed: the watcher publishes blocks, a delivery queue feeds the bus to `dispatchMessage`
 * (reordered, duplicated, redelivered after a crash), the executor runs submitted jobs with faults,
 * the proposer gives checkpoints, proposes in order and sometimes finds a checkpoint reorged out
 * (`SimulatedProposer`), and each tick runs `runScheduledCollectors` as the watcher's tick does
 * while the clock moves 30–120 s (a final `runCollectors` with sweeps ends the seed). Any handler
 * may crash after one of its store writes. Runs until quiescent (the invariants hold with nothing in
 * flight) or the step budget ends, then checks the invariants.
 */
export async function simulateSeed(seed: number, options: SeedOptions = {}): Promise<SeedReport> {
  return (await runSimulation(seed, options)).report;
}

/** `simulateSeed` with the final snapshot the invariants were checked on (for the checker's self-test). */
export async function runSimulation(
  seed: number,
  options: SeedOptions = {},
): Promise<{ report: SeedReport; snapshot: ChaosSnapshot }> {
  const rng = new Prng(seed);
  const world = makeWorld(chaosConfig(options.l2Reorgs === true ? 'safe' : 'finalized'));
  let head = BigInt(options.blocks ?? rng.int(40, 100));
  const maxSteps = options.maxSteps ?? 6000;
  const faultSteps = options.faultSteps ?? 2000;
  const executor = new SimulatedExecutor(world, rng, {
    faultRate: 0.3,
    proverFaultsPerGroup: 1,
    infraFaultsPerGroup: 2,
  });
  const faults: Record<string, number> = {};
  const count = (kind: string) => {
    faults[kind] = (faults[kind] ?? 0) + 1;
  };
  const findings: string[] = [];
  const l2 = new SimulatedL2(world.deps.origin);
  const reorgs =
    options.l2Reorgs === true ? new L2ReorgInjector(l2, rng, world.deps.config, count) : undefined;
  const proposer = new SimulatedProposer(proposerGateway(world.deps), rng, world.deps.origin, count, (n) =>
    l2.outputRoot(n),
  );
  const queue: Envelope[] = [];
  let delivered = 0;
  let published = world.deps.origin;
  let faultsOn = true;
  /** Runs one handler invocation, maybe crashing it; `retry` is what the platform does after a crash. */
  const invoke = async (what: string, operation: () => Promise<unknown>, retry: () => void = () => {}) => {
    const crashAt = faultsOn && rng.chance(CRASH_RATE) ? rng.int(1, 4) : undefined;
    try {
      await world.crash.run(crashAt, operation);
    } catch (error) {
      if (error instanceof SimulatedCrash) {
        count('crash');
        retry();
      } else findings.push(`${what} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    faultsOn = steps < faultSteps;
    queue.push(...world.bus.published.slice(delivered));
    delivered = world.bus.published.length;
    const unfinished = executor.unfinished();
    const watcher = reorgs === undefined ? undefined : await watcherProgress(world, l2);
    const action = rng.weighted({
      watcher: (watcher === undefined ? published < head : !watcher.caughtUp || l2.headNumber < head) ? 2 : 0,
      deliver: queue.length > 0 ? 6 : 0,
      execute: unfinished.length > 0 ? 3 : 0,
      event: executor.events.length > 0 ? 3 : 0,
      proposer: 1,
      tick: 1,
      'l2-reorg': faultsOn && reorgs?.canReorg(proposer.head) ? L2_REORG_WEIGHT : 0,
    });
    if (action === 'watcher' && reorgs === undefined)
      published = await publishBlocks(world, l2, published, head, rng.int(1, 6));
    if (action === 'watcher' && reorgs !== undefined && watcher !== undefined) {
      // The L2 produces blocks up to the seed's head, and past it while the cursor is on a branch
      // that is gone: only a block above the cursor shows the watcher the reorg.
      if (l2.headNumber >= head && !watcher.caughtUp && l2.headNumber <= watcher.position) head += 1n;
      l2.headNumber = minBigInt(head, l2.headNumber + BigInt(rng.int(1, 6)));
      await invoke('watcher run', () => watchL2Blocks({ ...world.deps, source: l2 }));
      const after = await watcherProgress(world, l2);
      queue.push(...reorgs.takeLate(after));
      published = after.position;
    }
    if (action === 'l2-reorg' && reorgs !== undefined && watcher !== undefined)
      reorgs.reorg(proposer.head, watcher, world.bus.published);
    if (action === 'deliver') {
      const [envelope] = queue.splice(rng.int(0, queue.length - 1), 1) as [Envelope];
      if (faultsOn && rng.chance(DUPLICATE_DELIVERY_RATE)) {
        count('duplicate-delivery');
        queue.push(envelope);
      }
      // SQS redelivers a message whose handler died.
      await invoke(
        `dispatch ${envelope.id}`,
        () => dispatchMessage(world.deps, envelope),
        () => queue.push(envelope),
      );
    }
    if (action === 'execute') await executor.run(rng.pick(unfinished), !faultsOn);
    if (action === 'event') {
      const [event] = executor.events.splice(rng.int(0, executor.events.length - 1), 1);
      if (event !== undefined) {
        // The job-state handler's async invocation is retried after a crash.
        await invoke(
          `finishJob ${event.jobName}`,
          () => finishJob(world.deps, event),
          () => executor.events.push(event),
        );
      }
    }
    if (action === 'proposer') await invoke('proposer run', () => proposer.run(faultsOn));
    if (action === 'tick') {
      world.clock.advanceSeconds(rng.int(30, 120));
      await invoke('runScheduledCollectors', () => runScheduledCollectors(world.deps));
    }
    const caughtUp =
      reorgs === undefined
        ? published === head
        : (await watcherProgress(world, l2)).caughtUp && l2.headNumber === head && reorgs.holding === 0;
    const idle = caughtUp && queue.length === 0 && executor.events.length === 0 && unfinished.length === 0;
    if (
      idle &&
      steps % 10 === 0 &&
      checkInvariants(await snapshotOf(world, executor, head, proposer, l2)).violations.length === 0
    )
      break;
  }
  faultsOn = false;
  await invoke('final runCollectors', () => runCollectors(world.deps));
  await invoke('final proposer run', () => proposer.run(false));
  findings.push(...isolatedErrors(world));
  const snapshot = await snapshotOf(world, executor, head, proposer, l2);
  const verdict = checkInvariants(snapshot);
  for (const [kind, n] of Object.entries(executor.faults)) faults[kind] = n;
  if (reorgs !== undefined) faults['l2-rewind'] = (await watcherProgress(world, l2)).rewinds;
  const report = {
    ...verdict,
    violations: [...findings, ...verdict.violations],
    seed,
    blocks: Number(head - world.deps.origin),
    steps,
    faults,
  };
  return { report, snapshot };
}

/** Where the watcher is, and whether it is done: at the L2 head, on the canonical branch, no rewind left. */
async function watcherProgress(
  world: World,
  l2: SimulatedL2,
): Promise<WatcherProgress & { readonly caughtUp: boolean }> {
  const item = await world.store.get(WATCHER_CURSOR_ID);
  if (item === undefined) return { position: world.deps.origin, rewinds: 0, caughtUp: false };
  const cursor = parseWatcherCursor(item);
  const canonical = cursor.hash?.toLowerCase() === l2.hash(cursor.position).toLowerCase();
  const rewinding = (await world.store.get(L2_REWIND_ID)) !== undefined;
  return { ...cursor, caughtUp: canonical && !rewinding && cursor.position === l2.headNumber };
}

/** Publishes the next blocks as the watcher would, without its cursor (no reorgs: `l2` never forks). */
async function publishBlocks(
  world: World,
  l2: SimulatedL2,
  from: bigint,
  head: bigint,
  count: number,
): Promise<bigint> {
  const envelopes: Envelope[] = [];
  let n = from;
  for (; n < head && envelopes.length < count; ) {
    n += 1n;
    const payload = {
      number: n.toString(),
      hash: l2.hash(n),
      parentHash: l2.hash(n - 1n),
    };
    envelopes.push(
      makeEnvelope(world.deps.config.watcher.outputTopic, blockKey(n), payload, world.clock.now()),
    );
  }
  await world.bus.publish(envelopes);
  return n;
}

async function snapshotOf(
  world: World,
  executor: SimulatedExecutor,
  head: bigint,
  proposer: SimulatedProposer,
  l2: SimulatedL2,
): Promise<ChaosSnapshot> {
  const states = new Map<string, string>();
  for (const spec of world.jobs.inner.submitted)
    states.set(spec.name, (await world.jobs.inner.state(spec)).state);
  return {
    config: world.deps.config,
    items: world.store.all(),
    head,
    calls: world.jobs.calls,
    jobState: (name) => states.get(name) ?? 'unknown',
    now: world.clock.now(),
    proverFaults: (groupId) => executor.proverFaultsOf(groupId),
    oracleOutputs: [...proposer.outputs],
    oracleRoots: [...proposer.roots],
    canonical: { hash: (n) => l2.hash(n), root: (n) => l2.outputRoot(n) },
    proofs: await readProofRoots(world.deps.config, world.store.all(), world.blobs),
  };
}

function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Errors a scheduled run isolated per stage or group that were not simulated crashes. */
function isolatedErrors(world: World): string[] {
  return world.logger
    .at('error')
    .filter((e) => e.message.endsWith('going on with the others'))
    .map((e) => String(e.attributes?.error ?? ''))
    .filter((error) => !error.startsWith('simulated crash'))
    .map((error) => `isolated error: ${error}`);
}
