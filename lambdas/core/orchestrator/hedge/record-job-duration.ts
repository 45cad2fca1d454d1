import type { ProvingStageConfig } from '../../config/stage-schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { sizeBucket } from './duration-percentile.js';
import { JobDurations } from './job-durations.js';

/**
 * Records a succeeded job's run time (the Batch event's `startedAt` → `stoppedAt`) under its
 * stage and size bucket, for the hedge trigger's p90. Only for stages with `executor.hedge`, and
 * only when the completion carries a duration (a job completed by reconciliation has none).
 */
export async function recordJobDuration(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: { readonly start: bigint; readonly end: bigint },
  completion: { readonly durationSeconds?: number },
): Promise<void> {
  if (stage.executor.hedge === undefined || completion.durationSeconds === undefined) return;
  await new JobDurations(deps.store, stage.name, sizeBucket(group.end - group.start)).add(
    completion.durationSeconds,
  );
}
