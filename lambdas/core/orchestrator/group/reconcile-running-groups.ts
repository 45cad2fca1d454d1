import type { ProvingStageConfig } from '../../config/schema.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { finishJob } from './finish-job.js';
import { CONFLICT, GroupRepository } from './group-repository.js';
import type { GroupIn } from './group-state.js';

/**
 * Seconds past an executor's timeout before a `running` group's job is looked up. The job-state
 * event normally arrives well before; the look-up is for events that never do.
 */
export const COMPLETION_GRACE_SECONDS = 300;

/**
 * Applies the outcome of jobs whose completion event never arrived, for one stage: a `running`
 * group submitted longer ago than its executor timeout plus `COMPLETION_GRACE_SECONDS` has its job
 * looked up by name; a finished job is completed as the event would have (`finishJob`, so retry
 * and bisect apply), a job the runner no longer knows counts as failed, an active one is left
 * alone. A job still waiting to be placed (`RUNNABLE`) by then is a named wait (`recordRunnableWait`):
 * it has waited longer than it may run, so capacity or the vCPU quota needs a person. `running`:
 * the stage's running groups when the caller already listed them (a group it lists stale is
 * re-read by `finishJob`). Returns the ids of the groups completed.
 */
export async function reconcileRunningGroups(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  running?: readonly GroupIn<'running'>[],
): Promise<string[]> {
  const reconciled: string[] = [];
  const now = deps.clock.now().getTime();
  const overdueMs = (stage.executor.timeoutSeconds + COMPLETION_GRACE_SECONDS) * 1000;
  const groups = new GroupRepository(deps.store);
  for (const group of running ?? (await groups.list(stage.name, 'running'))) {
    const { job, attempt } = group;
    if (job.submission === undefined) continue;
    if (now - Date.parse(job.submission.submittedAt) < overdueMs) continue;
    const run = await deps.jobs.state({ stage: stage.name, name: job.name });
    if (run.state === 'active') {
      if (run.runnable !== undefined) await recordRunnableWait(deps, groups, group, run.runnable);
      continue;
    }
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
      // The run time, when the runner knows it, so the job still counts toward its stage's day budget.
      ...(run.state !== 'unknown' && run.durationSeconds !== undefined
        ? { durationSeconds: run.durationSeconds }
        : {}),
    });
    if (outcome !== 'ignored') reconciled.push(group.id);
  }
  return reconciled;
}

/**
 * The named wait of a job `RUNNABLE` past its look-up time: logged at error with the group id, the
 * `JobsRunnableTooLong` count for the stage (on every sweep while it waits, for an alarm), and the
 * reason on the group's job (`waitReason`, written once per reason).
 */
async function recordRunnableWait(
  deps: OrchestratorDeps,
  groups: GroupRepository,
  group: GroupIn<'running'>,
  runnable: { readonly since: string; readonly reason?: string },
): Promise<void> {
  const waitReason = `runnable-too-long: RUNNABLE since ${runnable.since}${runnable.reason === undefined ? '' : ` (${runnable.reason})`}`;
  deps.logger.error(
    'job waits RUNNABLE past its look-up time: no capacity or no compute environment for it',
    {
      groupId: group.id,
      jobName: group.job.name,
      runnableSince: runnable.since,
      ...(runnable.reason === undefined ? {} : { reason: runnable.reason }),
    },
  );
  deps.metrics.count(METRIC.jobsRunnableTooLong, 1, { stage: group.stage });
  if (group.job.waitReason === waitReason) return;
  await groups.update(group.id, async (current) => {
    if (current.status !== 'running' || current.attempt !== group.attempt) return current;
    if (current.job.waitReason === waitReason) return current;
    return (await groups.move(current, { ...current, job: { ...current.job, waitReason } })) ?? CONFLICT;
  });
}
