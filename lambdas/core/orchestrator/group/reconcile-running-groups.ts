import type { StageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { finishJob } from './finish-job.js';
import { GroupRepository } from './group-repository.js';

/**
 * Seconds past an executor's timeout before a `running` group's job is looked up. The job-state
 * event normally arrives well before; the look-up is for events that never do.
 */
export const COMPLETION_GRACE_SECONDS = 300;

/**
 * Applies the outcome of jobs whose completion event never arrived, for one stage: a `running`
 * group submitted longer ago than its executor timeout plus `COMPLETION_GRACE_SECONDS` has its job
 * looked up by name; a finished job is completed as the event would have (`finishJob`, so retry
 * and bisect apply), a job the runner no longer knows counts as failed, an active one (for
 * example still waiting for GPU capacity) is left alone. Returns the ids of the groups completed.
 */
export async function reconcileRunningGroups(deps: OrchestratorDeps, stage: StageConfig): Promise<string[]> {
  const reconciled: string[] = [];
  const now = deps.clock.now().getTime();
  const overdueMs = (stage.executor.timeoutSeconds + COMPLETION_GRACE_SECONDS) * 1000;
  for (const group of await new GroupRepository(deps.store).list(stage.name, 'running')) {
    const { job, attempt } = group;
    if (job.submission === undefined) continue;
    if (now - Date.parse(job.submission.submittedAt) < overdueMs) continue;
    const run = await deps.jobs.state({ stage: stage.name, name: job.name });
    if (run.state === 'active') continue;
    const reason =
      run.state === 'failed'
        ? (run.reason ?? 'the job failed')
        : run.state === 'unknown'
          ? 'the job runner does not know the job'
          : undefined;
    deps.logger.warn('completing a job whose state change event never arrived', {
      groupId: group.id,
      jobName: job.name,
      state: run.state,
    });
    const outcome = await finishJob(deps, {
      stage: stage.name,
      groupId: group.id,
      attempt,
      jobName: job.name,
      status: run.state === 'succeeded' ? 'SUCCEEDED' : 'FAILED',
      // A job the runner no longer knows never got a fair run; a failed one carries the runner's class.
      ...(run.state === 'failed' ? { failureClass: run.failureClass ?? 'prover' } : {}),
      ...(run.state === 'unknown' ? { failureClass: 'infrastructure' as const } : {}),
      ...(reason === undefined ? {} : { reason: `${reason} (reconciled: no job state change event)` }),
    });
    if (outcome !== 'ignored') reconciled.push(group.id);
  }
  return reconciled;
}
