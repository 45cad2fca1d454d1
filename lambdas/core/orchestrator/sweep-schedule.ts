import type { StageConfig } from '../config/schema.js';
import { isProvingStage } from '../config/stage-schema.js';
import { CLAIM_GRACE_SECONDS } from './group/recover-stalled-groups.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';

/**
 * Clock seconds between two recovery sweeps of one stage for one set of dependencies (one process
 * or Lambda container): half of `CLAIM_GRACE_SECONDS`, the shortest wait before anything they repair
 * is due. A step left between two writes (a claim without its submission, a `failed` or `retried`
 * group, a group a crash left `collected`) is due `CLAIM_GRACE_SECONDS` (60 s) after its write; a
 * lost completion event an executor timeout plus `COMPLETION_GRACE_SECONDS` (300 s) after the submit;
 * an infrastructure retry at its `notBefore` (≥ 30 s); a breaker probe or a spent budget much later.
 * A sweep makes a repair at most one interval after it is due, so a step left between two writes is
 * finished within 1.5 × its grace (90 s); a stage resumed by an operator has its held `collected`
 * groups handed over within the interval. Each sweep lists every stage's `collected`, `running`,
 * `failed` and `retried` groups and its stale messages (a dozen reads on the devnet, whose watcher
 * ticks each second): every 30 s instead of 15 s, half as many. On AWS the watcher ticks once a
 * minute, so every tick still sweeps.
 */
export const SWEEP_INTERVAL_SECONDS = CLAIM_GRACE_SECONDS / 2;

/**
 * The sweep interval of a stage with `executor.hedge`: a hedge is not a repair with a grace to hide a
 * delay in but a latency cut (its trigger is a multiple ≥ 1 of the p90 run time), and it is started
 * by the sweep, so such a stage keeps sweeping every 15 s.
 */
export const HEDGING_SWEEP_INTERVAL_SECONDS = 15;

/** The sweep interval of `stage` (`SWEEP_INTERVAL_SECONDS`, or `HEDGING_SWEEP_INTERVAL_SECONDS`). */
export function sweepIntervalSeconds(stage: StageConfig): number {
  return isProvingStage(stage) && stage.executor.hedge !== undefined
    ? HEDGING_SWEEP_INTERVAL_SECONDS
    : SWEEP_INTERVAL_SECONDS;
}

/**
 * When each set of dependencies last finished a sweep. Kept per `deps` object (the composition
 * root builds it once per container), in memory only: a fresh container sweeps on its first tick,
 * so a recycled one sweeps sooner, never later.
 */
const lastSweepAt = new WeakMap<OrchestratorDeps, Map<string, number>>();

/**
 * Whether the recovery sweeps of `stage` are due: none finished yet for `deps`, or the last one
 * started its interval (`sweepIntervalSeconds`) ago.
 */
export function sweepDue(deps: OrchestratorDeps, stage: StageConfig): boolean {
  const last = lastSweepAt.get(deps)?.get(stage.name);
  return last === undefined || deps.clock.now().getTime() - last >= sweepIntervalSeconds(stage) * 1000;
}

/** Records a sweep of `stage` that finished without error, started at `startedAt` (epoch ms). A failed one stays due. */
export function sweepFinished(deps: OrchestratorDeps, stage: string, startedAt: number): void {
  const byStage = lastSweepAt.get(deps) ?? new Map<string, number>();
  byStage.set(stage, startedAt);
  lastSweepAt.set(deps, byStage);
}
