import type { ProvingStageConfig } from '../../config/stage-schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { sizeBucket } from './duration-percentile.js';
import { JobDurations } from './job-durations.js';
import { ProvingPace } from './proving-pace.js';

/**
 * Records a succeeded job's run time (the Batch event's `startedAt` → `stoppedAt`): under its stage
 * and size bucket for the hedge trigger's p90 (stages with `executor.hedge`), and with its exact
 * block count under the adaptive size's pace (stages with `collector.adaptiveSize`). Only when the
 * completion carries a duration (a job completed by reconciliation has none).
 */
export async function recordJobDuration(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: { readonly start: bigint; readonly end: bigint },
  completion: { readonly durationSeconds?: number },
): Promise<void> {
  const seconds = completion.durationSeconds;
  if (seconds === undefined) return;
  const adaptive = stage.collector.strategy === 'sequential' ? stage.collector.adaptiveSize : undefined;
  if (adaptive !== undefined && group.end > group.start)
    await new ProvingPace(deps.store, adaptive.sizeName).add(Number(group.end - group.start), seconds);
  if (stage.executor.hedge === undefined) return;
  await new JobDurations(deps.store, stage.name, sizeBucket(group.end - group.start)).add(seconds);
}
