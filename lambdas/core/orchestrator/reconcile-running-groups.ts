import type { StageConfig } from '../config/schema.js';
import { completeJob } from './complete-job.js';
import { groupData, groupKind } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Seconds past an executor's timeout before a `running` group's job is looked up. The job-state
 * event normally arrives well before; the look-up is for events that never do.
 */
export const COMPLETION_GRACE_SECONDS = 300;

/**
 * Applies the outcome of jobs whose completion event never arrived, for one stage: a `running`
 * group submitted longer ago than its executor timeout plus `COMPLETION_GRACE_SECONDS` has its job
 * looked up by name; a finished job is completed as the event would have (`completeJob`, so retry
 * and bisect apply), a job the runner no longer knows counts as failed, an active one (for
 * example still waiting for GPU capacity) is left alone. Returns the ids of the groups completed.
 */
export async function reconcileRunningGroups(deps: OrchestratorDeps, stage: StageConfig): Promise<string[]> {
  const reconciled: string[] = [];
  const now = deps.clock.now().getTime();
  const overdueMs = (stage.executor.timeoutSeconds + COMPLETION_GRACE_SECONDS) * 1000;
  for (const item of await deps.store.list(groupKind(stage.name), 'running')) {
    const { submittedAt, jobName, attempt } = groupData(item);
    if (submittedAt === undefined || jobName === undefined) continue;
    if (now - Date.parse(submittedAt) < overdueMs) continue;
    const run = await deps.jobs.state({ stage: stage.name, name: jobName });
    if (run.state === 'active') continue;
    const failed = run.state !== 'succeeded';
    const reason =
      run.state === 'failed'
        ? (run.reason ?? 'the job failed')
        : run.state === 'unknown'
          ? 'the job runner does not know the job'
          : undefined;
    deps.logger.warn('completing a job whose state change event never arrived', {
      groupId: item.id,
      jobName,
      state: run.state,
    });
    const outcome = await completeJob(deps, {
      stage: stage.name,
      groupId: item.id,
      attempt,
      jobName,
      status: failed ? 'FAILED' : 'SUCCEEDED',
      ...(reason === undefined ? {} : { reason: `${reason} (reconciled: no job state change event)` }),
    });
    if (outcome !== 'ignored') reconciled.push(item.id);
  }
  return reconciled;
}
