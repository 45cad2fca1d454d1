import type { ProvingStageConfig } from '../../config/schema.js';
import { keyInterval } from '../../messages/ids.js';
import { messageData } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { newGroup } from './group-item.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type GroupIn } from './group-state.js';

/**
 * Event "bisect": splits a failed Sequential group into two halves by members (for block keys: by
 * blocks), so a single bad block is isolated by repeated bisection. Order: create both children
 * (conditional creates), then move the parent `failed → split` (the caller hands the children
 * over); a repeat after a crash finds the children and finishes. Returns `unsplittable` when the
 * group cannot be split (fewer than 2 members, or not a Sequential stage), undefined when another
 * writer moved the parent first, else the parent in `split`.
 */
export async function bisectGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  parent: GroupIn<'failed'>,
): Promise<GroupIn<'split'> | 'unsplittable' | undefined> {
  const rule = stage.collector;
  if (rule.strategy !== 'sequential' || parent.memberIds.length < 2) return 'unsplittable';
  const members: { id: string; start: bigint; end: bigint }[] = [];
  for (const id of parent.memberIds) {
    const item = await deps.store.get(id);
    if (item === undefined) return 'unsplittable';
    members.push({ id, ...keyInterval(messageData(item).envelope.key, rule.keyKind) });
  }
  members.sort((a, b) => (a.start < b.start ? -1 : 1));
  const half = Math.ceil(members.length / 2);
  const children = [members.slice(0, half), members.slice(half)].map((part) =>
    newGroup(
      stage.name,
      part[0]!.start,
      part[part.length - 1]!.end,
      part.map((m) => m.id),
      { parentGroupId: parent.id },
    ),
  );
  const groups = new GroupRepository(deps.store);
  for (const child of children) await groups.create(child);
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
