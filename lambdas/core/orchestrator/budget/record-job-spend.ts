import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { isHedgeJobName } from '../../messages/hedge-job-name.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { StageSpend, utcDay } from './stage-spend.js';

/** A job's GPU-seconds: its run time × the GPUs it asked for, at least one (so GPU-less devnet jobs count). */
export function jobGpuSeconds(stage: ProvingStageConfig, durationSeconds: number): number {
  return durationSeconds * Math.max(1, stage.executor.resources.gpus);
}

/**
 * Adds a finished job's GPU-seconds (succeeded or failed, current or stale attempt: it ran either
 * way) to its stage's spend of the UTC day it finished on, once per job name; a hedge's also to the
 * day's hedge share. Only for stages with an `executor.budget` or an `executor.hedge` (its spend
 * cap reads the day), and only when the completion carries a duration: the Batch event's
 * `startedAt`/`stoppedAt`, or for a job completed by reconciliation (its event lost) the same two
 * times from ListJobs; a job that never started (no `startedAt`) costs nothing and is not counted.
 */
export async function recordJobSpend(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  completion: { readonly jobName: string; readonly durationSeconds?: number },
): Promise<void> {
  const { budget, hedge } = stage.executor;
  if ((budget === undefined && hedge === undefined) || completion.durationSeconds === undefined) return;
  const spend = new StageSpend(deps.store, stage.name, utcDay(deps.clock.now()));
  const added = await spend.add(completion.jobName, jobGpuSeconds(stage, completion.durationSeconds), {
    hedge: isHedgeJobName(completion.jobName),
  });
  if (!added.counted) return;
  deps.metrics.gauge(METRIC.budgetSpentGpuHours, added.spend.gpuSeconds / 3600, { stage: stage.name });
}
