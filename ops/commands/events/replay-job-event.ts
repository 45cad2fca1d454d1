import type { BatchJobOutcome } from '../../../lambdas/adapters/aws/batch-job-state-event.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { CompletionOutcome } from '../../../lambdas/core/orchestrator/group/job-completion.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { JobRunState } from '../../../lambdas/core/ports/job-runner.js';
import type { Logger } from '../../../lambdas/core/ports/telemetry.js';
import { applyJobOutcome } from '../../../lambdas/handlers/job-state.js';
import { OpsError } from '../../output/ops-error.js';

/** What `events replay --job` did. */
export interface JobEventReplay {
  readonly jobName: string;
  readonly groupId?: string;
  /** What the job runner says of the job now. */
  readonly runner: JobRunState['state'];
  /**
   * `applied`: the completion moved the group (`outcome` says how); `already-handled`: the group
   * is past this job (a no-op); `still-active`: the job has not finished, nothing to replay.
   */
  readonly result: 'applied' | 'already-handled' | 'still-active';
  readonly outcome?: CompletionOutcome;
  /** The group's status after the replay. */
  readonly status?: string;
}

const JOB_NAME = /^(.+)-(0|[1-9]\d*)-(0|[1-9]\d*)-a([1-9]\d*)$/;

/**
 * Re-feeds the job-state event of job `jobName`: finds the group whose attempt ran it, asks the
 * job runner (Batch's ListJobs by name on AWS) where the job is, builds the completion the
 * job-state handler builds from the Batch event, and applies it with the handler's own logic
 * (`applyJobOutcome`: failure document, `finishJob`). Idempotent: a group no longer running that
 * job (it was handled, or a later attempt runs) is left alone and reported `already-handled`.
 * @throws OpsError when no group ran a job of that name, or the runner does not know the job.
 */
export async function replayJobEvent(
  deps: OrchestratorDeps,
  logger: Logger,
  jobName: string,
): Promise<JobEventReplay> {
  const group = await groupOfJob(deps, jobName);
  const base = { jobName, groupId: group.id };
  const current = 'job' in group && group.job?.name === jobName ? group.job : undefined;
  if (group.status !== 'running' || current === undefined) {
    return { ...base, runner: 'unknown', result: 'already-handled', status: group.status };
  }
  const run = await deps.jobs.state({ stage: group.stage, name: jobName });
  if (run.state === 'active')
    return { ...base, runner: run.state, result: 'still-active', status: group.status };
  if (run.state === 'unknown')
    throw new OpsError(
      `job ${jobName} (group ${group.id}) is unknown to the job runner: there is no event to replay; the sweep completes the group as failed once it is overdue, or \`npm run ops -- group show ${group.id}\``,
    );
  const outcome: BatchJobOutcome = {
    stage: group.stage,
    groupId: group.id,
    attempt: group.attempt,
    jobName,
    jobId: current.submission?.jobId ?? 'unknown',
    outputKey: current.outputKey,
    status: run.state === 'succeeded' ? 'SUCCEEDED' : 'FAILED',
    ...(run.state === 'failed'
      ? {
          reason: `${run.reason ?? 'the job failed'} (replayed by an operator)`,
          failureClass: run.failureClass ?? 'prover',
        }
      : {}),
  };
  const applied = await applyJobOutcome(deps, logger, outcome);
  const after = await new GroupRepository(deps.store).get(group.id);
  return {
    ...base,
    runner: run.state,
    result: applied === 'ignored' ? 'already-handled' : 'applied',
    outcome: applied,
    ...(after === undefined ? {} : { status: after.status }),
  };
}

/** The one-line answer of the replay. */
export function formatJobEventReplay(replay: JobEventReplay): string {
  switch (replay.result) {
    case 'applied':
      return `replayed ${replay.jobName} (runner: ${replay.runner}): group ${replay.groupId} ${replay.outcome}, now ${replay.status}`;
    case 'already-handled':
      return `${replay.jobName}: already handled, nothing changed (group ${replay.groupId} is ${replay.status})`;
    case 'still-active':
      return `${replay.jobName}: still active in the job runner, nothing to replay (group ${replay.groupId} is running)`;
  }
}

/** The group whose attempt ran `jobName`: by the span name's shape first, else any stage's running group. */
async function groupOfJob(deps: OrchestratorDeps, jobName: string): Promise<Group> {
  const groups = new GroupRepository(deps.store);
  const shape = JOB_NAME.exec(jobName);
  if (shape !== null) {
    const [, stage, start, end] = shape;
    const group = await groups.get(`${stage}/${start}-${end}`);
    if (group !== undefined) return group;
  }
  for (const stage of deps.config.stages) {
    const match = (await groups.list(stage.name, 'running')).find((group) => group.job.name === jobName);
    if (match !== undefined) return match;
  }
  throw new OpsError(
    `no group ran a job named ${jobName}: job names look like <stage>-<start>-<end>-a<attempt>; see \`npm run ops -- group show <id>\` for a group's jobs`,
  );
}
