import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { GROUP_STATUSES, type GroupStatus } from '../../../lambdas/core/status.js';
import { formatTable } from '../../output/format-table.js';
import { OpsError } from '../../output/ops-error.js';

/**
 * The groups of one stage (or all) in one status (or all), by stage then start.
 * @throws OpsError naming the unknown stage or status and the known ones.
 */
export async function listGroups(
  deps: OrchestratorDeps,
  filter: { readonly stage?: string | undefined; readonly status?: string | undefined },
): Promise<Group[]> {
  const stages = deps.config.stages.map((stage) => stage.name);
  if (filter.stage !== undefined && !stages.includes(filter.stage))
    throw new OpsError(`unknown stage "${filter.stage}": the config's stages are ${stages.join(', ')}`);
  if (filter.status !== undefined && !GROUP_STATUSES.includes(filter.status as GroupStatus))
    throw new OpsError(`unknown group status "${filter.status}": one of ${GROUP_STATUSES.join(', ')}`);
  const repository = new GroupRepository(deps.store);
  const statuses = filter.status === undefined ? GROUP_STATUSES : [filter.status as GroupStatus];
  const lists = await Promise.all(
    (filter.stage === undefined ? stages : [filter.stage]).flatMap((stage) =>
      statuses.map((status) => repository.list(stage, status)),
    ),
  );
  return lists.flat().sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage) || bySpan(a, b));
}

/** Start order; of two groups starting together (a bisected parent and its first child) the wider first. */
function bySpan(a: Group, b: Group): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.end === b.end ? 0 : a.end > b.end ? -1 : 1;
}

/** One line per group: id, status, blocks, members, attempt, failures, job and its last error. */
export function formatGroupList(groups: readonly Group[]): string {
  return formatTable(
    ['group', 'status', 'blocks', 'members', 'attempt', 'failures', 'job', 'error'],
    groups.map((group) => [
      group.id,
      group.status,
      `${group.start + 1n}-${group.end}`,
      String(group.memberIds.length),
      String(group.attempt),
      `${group.failures}${group.infraFailures === 0 ? '' : ` (+${group.infraFailures} infra)`}`,
      'job' in group && group.job !== undefined ? group.job.name : '-',
      (group.lastFailure?.error ?? '').split('\n')[0]?.slice(0, 60) ?? '',
    ]),
  );
}
