import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import type { Group, GroupMove } from './group-state.js';

/**
 * Forms `fresh` (a new `collected` group from `newGroup`, a collector decided) over the id of a group an L2 rewind
 * invalidated, the same span now on the canonical blocks: `invalidated → collected` with the next
 * attempt, so its job gets a new name and new artifacts (`jobArtifacts` name them by attempt) and a
 * late completion of the old job, of an earlier attempt, is ignored.
 * `decidedAfter(invalidatedBy)`: whether the collector's decision came after the rewind that
 * invalidated the group; one made before it (that rewind dropped it) forms nothing.
 * @returns the re-formed group, or undefined when the stored group is missing, not invalidated,
 * invalidated after the decision, or another writer moved it first.
 */
export async function reformInvalidatedGroup(
  deps: Pick<OrchestratorDeps, 'store' | 'logger'>,
  fresh: GroupMove,
  decidedAfter: (invalidatedBy: string) => boolean,
): Promise<Group | undefined> {
  const groups = new GroupRepository(deps.store);
  const existing = await groups.get(fresh.id);
  if (existing?.status !== 'invalidated') return undefined;
  if (!decidedAfter(existing.invalidatedBy)) {
    deps.logger.warn('group not formed: decided before the L2 rewind that invalidated it', {
      groupId: fresh.id,
      invalidatedBy: existing.invalidatedBy,
    });
    return undefined;
  }
  const reformed = await groups.move(existing, { ...fresh, attempt: existing.attempt + 1 });
  if (reformed !== undefined) {
    deps.logger.info('group formed again after an L2 rewind', {
      groupId: fresh.id,
      attempt: reformed.attempt,
      members: fresh.memberIds.length,
    });
  }
  return reformed;
}
