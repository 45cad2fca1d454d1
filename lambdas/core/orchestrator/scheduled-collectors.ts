import type { StageConfig } from '../config/schema.js';
import { type CollectorsOutcome, runCollectors } from './run-collectors.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';
import { sweepDue } from './sweep-schedule.js';

/**
 * Looks at a stage that flushes on time this many times per flush period (`maxWaitSeconds`, a
 * Match `timeoutSeconds`): a flush is at most a tenth of its period late (2 s of the devnet's 20 s),
 * where looking on every tick (each second on the devnet) cost the stage's reads on every tick. On
 * AWS the watcher ticks each minute, longer than a tenth of any period there, so every tick looks.
 */
export const FLUSH_CHECKS_PER_PERIOD = 10;

/**
 * When each set of dependencies (one container) last looked at each stage that flushes on time, in
 * memory only: a fresh container looks on its first tick, so a recycled one looks sooner, never later.
 */
const lastFlushCheckAt = new WeakMap<OrchestratorDeps, Map<string, number>>();

/**
 * Seconds after which a stage's collector can form a group on time alone, with no message
 * arriving (a Sequential `maxWaitSeconds` flush, a Match timeout), or undefined: then every boundary
 * is decided when a message is recorded, by the dispatcher's own collector run.
 */
export function flushPeriodSeconds(stage: StageConfig): number | undefined {
  return stage.collector.strategy === 'match'
    ? stage.collector.timeoutSeconds
    : stage.collector.maxWaitSeconds;
}

/**
 * What the caller knows of a stage's partial groups (the watcher: `PartialRanges`): false when none
 * can be due at `now` (epoch ms), so the tick does not look at the stage for a flush; true or
 * undefined leave it to the `FLUSH_CHECKS_PER_PERIOD` looks. Its sweeps stay on their schedule.
 */
export type PartialGroupsDue = (stage: StageConfig, now: number) => boolean | undefined;

/**
 * The scheduled collector run (the watcher's tick): `runCollectors` with its sweeps when due, over
 * the stages whose sweep is due (`sweepDue`) and the stages that flush on time, each looked at
 * `FLUSH_CHECKS_PER_PERIOD` times per flush period. A stage that never flushes on time is skipped
 * between its sweeps: its groups are formed by the dispatch that records their last member (a
 * failed collector run redelivers the batch), and what a crash left half done (a cursor's decided
 * `lastGroup`, a group left `collected`) is finished by the sweep, at most one sweep interval
 * (`sweepIntervalSeconds`) later, half the 60 s a claim left by a crash waits. A skipped stage costs no call. A run that
 * fails looks at its stages again on the next tick. `partialGroupsDue` skips flush looks the caller
 * knows cannot flush anything.
 */
export async function runScheduledCollectors(
  deps: OrchestratorDeps,
  partialGroupsDue?: PartialGroupsDue,
): Promise<CollectorsOutcome> {
  const startedAt = deps.clock.now().getTime();
  const checks = lastFlushCheckAt.get(deps) ?? new Map<string, number>();
  const flushCheckDue = (stage: StageConfig): boolean => {
    const period = flushPeriodSeconds(stage);
    if (period === undefined || partialGroupsDue?.(stage, startedAt) === false) return false;
    const last = checks.get(stage.name);
    return last === undefined || startedAt - last >= (period * 1000) / FLUSH_CHECKS_PER_PERIOD;
  };
  const stages = deps.config.stages.filter((stage) => flushCheckDue(stage) || sweepDue(deps, stage));
  const outcome = await runCollectors(deps, stages, { sweeps: 'when-due' });
  for (const stage of stages) if (flushPeriodSeconds(stage) !== undefined) checks.set(stage.name, startedAt);
  lastFlushCheckAt.set(deps, checks);
  return outcome;
}
