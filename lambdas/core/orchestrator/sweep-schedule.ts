import type { OrchestratorDeps } from './setup/orchestrator-deps.js';

/**
 * Clock seconds between two recovery sweeps of one set of dependencies (one process or Lambda
 * container). Every step the sweeps repair waits far longer before it is due —
 * `CLAIM_GRACE_SECONDS` (60 s) for a step left between two writes, an executor timeout plus
 * `COMPLETION_GRACE_SECONDS` for a lost completion event — so sweeping every 15 s instead of on
 * every tick (each second on the devnet) delays a repair by at most 15 s. On AWS the watcher ticks
 * once a minute, so every tick still sweeps.
 */
export const SWEEP_INTERVAL_SECONDS = 15;

/**
 * When each set of dependencies last finished a sweep. Kept per `deps` object (the composition
 * root builds it once per container), in memory only: a fresh container sweeps on its first tick,
 * so a recycled one sweeps sooner, never later.
 */
const lastSweepAt = new WeakMap<OrchestratorDeps, Map<string, number>>();

/**
 * Whether the recovery sweeps of `stage` are due: none finished yet for `deps`, or the last one
 * started `SWEEP_INTERVAL_SECONDS` ago.
 */
export function sweepDue(deps: OrchestratorDeps, stage: string): boolean {
  const last = lastSweepAt.get(deps)?.get(stage);
  return last === undefined || deps.clock.now().getTime() - last >= SWEEP_INTERVAL_SECONDS * 1000;
}

/** Records a sweep of `stage` that finished without error, started at `startedAt` (epoch ms). A failed one stays due. */
export function sweepFinished(deps: OrchestratorDeps, stage: string, startedAt: number): void {
  const byStage = lastSweepAt.get(deps) ?? new Map<string, number>();
  byStage.set(stage, startedAt);
  lastSweepAt.set(deps, byStage);
}
