import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { GROUP_STATUSES, type GroupStatus } from '../../../lambdas/core/status.js';

/**
 * Groups in these statuses no longer cover their blocks: split (its children do), abandoned (a
 * person gave it up) and invalidated (an L2 rewind replaced its blocks). A new group may overlap them.
 */
export const NOT_COVERING: readonly GroupStatus[] = ['split', 'abandoned', 'invalidated'];

/**
 * The groups of `stage` that still cover a block of `(start, end]`, except `exceptId`: what an
 * operator's new group (`prove-range`) or retried one (`group retry` of an abandoned group) would
 * prove a second time.
 */
export async function coveringGroups(
  deps: Pick<OrchestratorDeps, 'store'>,
  stage: string,
  span: { readonly start: bigint; readonly end: bigint },
  exceptId?: string,
): Promise<Group[]> {
  const repository = new GroupRepository(deps.store);
  const lists = await Promise.all(
    GROUP_STATUSES.filter((s) => !NOT_COVERING.includes(s)).map((s) => repository.list(stage, s)),
  );
  return lists
    .flat()
    .filter((group) => group.id !== exceptId && group.start < span.end && span.start < group.end);
}
