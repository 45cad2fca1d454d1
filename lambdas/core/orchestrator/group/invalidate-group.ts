import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { newGroup } from './group-item.js';
import { CONFLICT, GroupRepository } from './group-repository.js';
import { commonOf } from './group-state.js';

type InvalidateDeps = Pick<OrchestratorDeps, 'store' | 'metrics'>;

/** The blocks a group covers, `(start, end]`, and who it is. */
interface GroupSpan {
  readonly id: string;
  readonly stage: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly memberIds: readonly string[];
}

/**
 * Moves group `id` to `invalidated` for the L2 rewind `tag` (`invalidatedBy`) when it covers a
 * block above `ancestor` and is not invalidated yet, reading it again after a lost race; each move
 * counts one `ReorgWorkInvalidated{kind: group}`.
 * @returns whether the group exists (invalidated now or before, or wholly at or below the ancestor).
 */
export async function invalidateGroup(
  deps: InvalidateDeps,
  id: string,
  ancestor: bigint,
  tag: string,
): Promise<boolean> {
  const groups = new GroupRepository(deps.store);
  const moved = await groups.update(id, async (group) => {
    if (group.status === 'invalidated' || group.end <= ancestor) return false;
    const written = await groups.move(group, {
      ...commonOf(group),
      status: 'invalidated',
      invalidatedBy: tag,
    });
    return written === undefined ? CONFLICT : true;
  });
  if (moved === true) deps.metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'group' });
  return moved !== undefined;
}

/**
 * `invalidateGroup` for a group a Sequential cursor decided, whose item may not be written yet
 * (its collector is between the cursor write and the create, or crashed there): then the item is
 * created `invalidated` here, so that collector's create is refused and nothing is formed over
 * members the rewind throws away or releases.
 */
export async function invalidateDecidedGroup(
  deps: InvalidateDeps,
  decided: GroupSpan,
  ancestor: bigint,
  tag: string,
): Promise<void> {
  const groups = new GroupRepository(deps.store);
  const fresh = newGroup(decided.stage, decided.start, decided.end, decided.memberIds, { id: decided.id });
  for (;;) {
    if (await invalidateGroup(deps, decided.id, ancestor, tag)) return;
    if ((await groups.create({ ...fresh, status: 'invalidated', invalidatedBy: tag })) !== undefined) {
      deps.metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'group' });
      return;
    }
  }
}
