import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import { jobArtifacts } from '../../../lambdas/core/orchestrator/group/job-artifacts.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { JobRunState } from '../../../lambdas/core/ports/job-runner.js';
import { formatTable } from '../../output/format-table.js';
import { findGroup } from './find-group.js';
import { type OperatorAction, readOperatorLog } from './operator-log.js';

/** A group with everything an operator asks about it. */
export interface GroupDetails {
  readonly group: Group;
  /** One per attempt: the job name, its Batch id (the current attempt's, once recorded) and where the runner says it is. */
  readonly jobs: readonly {
    readonly attempt: number;
    readonly name: string;
    readonly jobId?: string;
    readonly state: string;
  }[];
  readonly parent?: { readonly id: string; readonly status: string };
  readonly children: readonly { readonly id: string; readonly status: string }[];
  readonly operatorActions: readonly OperatorAction[];
}

/**
 * Reads group `id`, its jobs' states from the job runner, its bisection parent and children and the
 * operator actions on it.
 * @throws OpsError when there is no such group.
 */
export async function showGroup(deps: OrchestratorDeps, id: string): Promise<GroupDetails> {
  const { group } = await findGroup(deps, id);
  const repository = new GroupRepository(deps.store);
  const statusOf = async (other: string) => ({
    id: other,
    status: (await repository.get(other))?.status ?? 'missing',
  });
  const current = 'job' in group ? group.job : undefined;
  const jobs = await Promise.all(
    Array.from({ length: group.attempt }, async (_, i) => {
      const attempt = i + 1;
      const name = jobArtifacts(group, attempt).name;
      const state = await deps.jobs
        .state({ stage: group.stage, name })
        .then(describeRunState, (error: unknown) => `unknown (${(error as Error).message})`);
      const jobId = current?.name === name ? current.submission?.jobId : undefined;
      return { attempt, name, ...(jobId === undefined ? {} : { jobId }), state };
    }),
  );
  return {
    group,
    jobs,
    ...(group.parentGroupId === undefined ? {} : { parent: await statusOf(group.parentGroupId) }),
    children: group.status === 'split' ? await Promise.all(group.childGroupIds.map(statusOf)) : [],
    operatorActions: await readOperatorLog(deps.store, id),
  };
}

function describeRunState(state: JobRunState): string {
  if (state.state === 'active' && state.runnable !== undefined)
    return `waiting since ${state.runnable.since}${state.runnable.reason === undefined ? '' : `: ${state.runnable.reason}`}`;
  if (state.state === 'failed') return `failed${state.reason === undefined ? '' : `: ${state.reason}`}`;
  return state.state;
}

/** The group as a few labelled lines and a jobs table. */
export function formatGroupDetails(details: GroupDetails): string {
  const { group } = details;
  const lines = [
    `group ${group.id} (${group.stage}): ${group.status}, blocks ${group.start + 1n}-${group.end}`,
    `attempt ${group.attempt}, failures ${group.failures}, infrastructure failures ${group.infraFailures}`,
    `members (${group.memberIds.length}): ${group.memberIds.join(', ')}`,
  ];
  if (details.parent !== undefined) lines.push(`parent: ${details.parent.id} (${details.parent.status})`);
  if (details.children.length > 0)
    lines.push(`children: ${details.children.map((child) => `${child.id} (${child.status})`).join(', ')}`);
  if (group.grant !== undefined)
    lines.push(
      `checkpoint: L1 block ${group.grant.checkpoint.l1BlockNumber} ${group.grant.checkpoint.l1BlockHash}`,
    );
  if (group.lastFailure !== undefined) {
    lines.push(
      `last error${group.lastFailure.failureClass === undefined ? '' : ` (${group.lastFailure.failureClass})`}: ${group.lastFailure.error}`,
    );
    if (group.lastFailure.stderrTail !== undefined)
      lines.push(`prover stderr (tail):\n${group.lastFailure.stderrTail}`);
  }
  if (group.status === 'abandoned' && group.expiredReason !== undefined)
    lines.push(`reason: ${group.expiredReason}`);
  lines.push(
    formatTable(
      ['attempt', 'job', 'batch id', 'state'],
      details.jobs.map((job) => [String(job.attempt), job.name, job.jobId ?? '-', job.state]),
    ),
  );
  if (details.operatorActions.length > 0)
    lines.push(
      `operator actions:\n${formatTable(
        ['at', 'by', 'action', 'move', 'reason'],
        details.operatorActions.map((a) => [
          a.at,
          a.by,
          a.action,
          `${a.from ?? ''} → ${a.to}`,
          a.reason ?? '',
        ]),
      )}`,
    );
  return lines.join('\n');
}
