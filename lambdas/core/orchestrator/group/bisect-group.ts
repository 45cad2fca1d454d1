import type { ProvingStageConfig } from '../../config/schema.js';
import { keyInterval } from '../../messages/ids.js';
import { messageData } from '../messages/message-records.js';
import { rewindGeneration } from '../messages/rewind-tag.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { newGroup } from './group-item.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type GroupIn } from './group-state.js';
import { reformInvalidatedGroup } from './reform-group.js';

/**
 * Event "bisect": splits a failed Sequential group into two halves by members (for block keys: by
 * blocks), so a single bad block is isolated by repeated bisection. Order: create both children
 * (conditional creates), then move the parent `failed → split` (the caller hands the children
 * over); a repeat after a crash finds the children and finishes. A child of block keys whose id an
 * L2 rewind left `invalidated` (an old-branch group of the same span) is formed again over it when
 * the parent holds the child's last block as enqueued after that rewind (its envelope attempt, the
 * watcher's generation, is at least the rewind's): the parent was formed on the canonical blocks.
 * Not when the rewind came later (it invalidated a child a crashed run of this bisect created, and
 * the parent with it). Returns `unsplittable` when the group cannot be split (fewer than 2
 * members, or not a Sequential stage), undefined when another writer moved the parent first, else
 * the parent in `split`.
 */
export async function bisectGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  parent: GroupIn<'failed'>,
): Promise<GroupIn<'split'> | 'unsplittable' | undefined> {
  const rule = stage.collector;
  if (rule.strategy !== 'sequential' || parent.memberIds.length < 2) return 'unsplittable';
  const members: { id: string; start: bigint; end: bigint; attempt: number }[] = [];
  for (const id of parent.memberIds) {
    const item = await deps.store.get(id);
    if (item === undefined) return 'unsplittable';
    const { envelope } = messageData(item);
    members.push({ id, attempt: envelope.attempt, ...keyInterval(envelope.key, rule.keyKind) });
  }
  members.sort((a, b) => (a.start < b.start ? -1 : 1));
  const half = Math.ceil(members.length / 2);
  const halves = [members.slice(0, half), members.slice(half)];
  const children = halves.map((part) =>
    newGroup(
      stage.name,
      part[0]!.start,
      part[part.length - 1]!.end,
      part.map((m) => m.id),
      { parentGroupId: parent.id },
    ),
  );
  const groups = new GroupRepository(deps.store);
  for (const [i, child] of children.entries()) {
    if ((await groups.create(child)) !== undefined || rule.keyKind !== 'block') continue;
    const lastAttempt = halves[i]!.at(-1)!.attempt;
    await reformInvalidatedGroup(
      deps,
      child,
      (invalidatedBy) => rewindGeneration(invalidatedBy) <= lastAttempt,
    );
  }
  const split = await groups.move(parent, {
    ...commonOf(parent),
    status: 'split',
    childGroupIds: children.map((c) => c.id),
  });
  if (split === undefined) return undefined;
  deps.logger.warn('group bisected after exhausting attempts', {
    groupId: parent.id,
    children: split.childGroupIds,
    error: parent.lastFailure.error,
  });
  return split;
}
