import type { StageConfig } from '../config/schema.js';
import { type CollectorsOutcome, runCollectors } from './run-collectors.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';
import { sweepDue } from './sweep-schedule.js';

/**
 * Whether a stage's collector can form a group on time alone, with no message arriving: a
 * Sequential `maxWaitSeconds` flush or a Match timeout. Every other boundary is decided when a
 * message is recorded, by the dispatcher's own collector run.
 */
export function flushesOnTime(stage: StageConfig): boolean {
  return stage.collector.strategy === 'match' || stage.collector.maxWaitSeconds !== undefined;
}

/**
 * The scheduled collector run (the watcher's tick): `runCollectors` with its sweeps when due, over
 * the stages that flush on time (looked at on every tick, so a flush is at most one tick late) and
 * the stages whose sweep is due (`sweepDue`). A stage that never flushes on time is skipped between
 * its sweeps: its groups are formed by the dispatch that records their last member (a failed
 * collector run redelivers the batch), and what a crash left half done (a cursor's decided
 * `lastGroup`, a group left `collected`) is finished by the sweep, at most `SWEEP_INTERVAL_SECONDS`
 * later, within the 60 s any such repair waits anyway. Between sweeps it costs such a stage no call.
 */
export function runScheduledCollectors(deps: OrchestratorDeps): Promise<CollectorsOutcome> {
  const stages = deps.config.stages.filter((stage) => flushesOnTime(stage) || sweepDue(deps, stage.name));
  return runCollectors(deps, stages, { sweeps: 'when-due' });
}
