import * as z from 'zod';
import type { StageConfig } from '../../config/schema.js';
import { cursorId, sortKeyOf } from '../../messages/ids.js';
import type { KeyKind } from '../../messages/key-kind.js';
import type { StoredItem } from '../../ports/state-store.js';
import { METRIC } from '../../ports/telemetry.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';
import { GROUP_STATUSES } from '../../status.js';
import { GroupRepository } from '../group/group-repository.js';
import { invalidateDecidedGroup, invalidateGroup } from '../group/invalidate-group.js';
import { rewindTag } from '../messages/rewind-tag.js';
import { heldByOf, withoutHeldBy } from '../messages/supersede-held-member.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { invalidateMessage } from './invalidate-messages.js';
import type { L2Rewind } from './rewind-intent.js';
import { messageEnd } from './rewound-messages.js';

type RewindStageDeps = Pick<OrchestratorDeps, 'config' | 'store' | 'logger' | 'metrics'>;

const cursorSchema = z.object({
  position: decimalString,
  rewoundBy: z.string().optional(),
  lastGroup: z
    .object({ id: z.string(), start: decimalString, end: decimalString, memberIds: z.array(z.string()) })
    .optional(),
});

/**
 * Rewind steps 2–4 for one stage, each idempotent and tagged with the rewind (`rewindTag`), so a
 * repeat after a crash finishes only this rewind's work:
 * 2. every group of the stage covering a block above the ancestor goes to `invalidated`
 *    (`invalidatedBy`): its running job's late result is ignored, its in-flight proof is never
 *    published for the new branch;
 * 3. a Sequential stage's cursor moves back to the start of the first invalidated group (of a
 *    bisected parent: its first invalidated half, `withoutBisectedParents`) once (`rewoundBy`),
 *    its decided `lastGroup` dropped, so the canonical messages are collected again;
 * 4. the members at or below the ancestor of the invalidated groups go back to `pending`
 *    (once: `releasedBy`) to be collected again; those above it were invalidated by step 1.
 */
export async function rewindStage(
  deps: RewindStageDeps,
  stage: StageConfig,
  rewind: L2Rewind,
  floor: bigint,
): Promise<void> {
  const tag = rewindTag(rewind);
  if (stage.collector.strategy === 'sequential') await moveCursorBack(deps, stage, rewind, floor);
  else await invalidateGroupsAbove(deps, stage, rewind, floor);
  const ours = await invalidatedBy(deps, stage, tag, floor);
  const members = withoutBisectedParents(ours).flatMap((g) => g.memberIds);
  const released = await releaseMembers(deps, members, inputKeyKind(stage), rewind);
  deps.logger.warn('L2 rewind: stage rewound', {
    stage: stage.name,
    ancestor: rewind.ancestor.toString(),
    groupsInvalidated: ours.map((g) => g.id),
    membersReleased: released,
  });
}

/** Step 2: every group of the stage from `floor` on that covers a block above the ancestor. */
async function invalidateGroupsAbove(
  deps: RewindStageDeps,
  stage: StageConfig,
  rewind: L2Rewind,
  floor: bigint,
): Promise<void> {
  const groups = new GroupRepository(deps.store);
  const tag = rewindTag(rewind);
  for (const status of GROUP_STATUSES) {
    if (status === 'invalidated') continue;
    for (const listed of await groups.list(stage.name, status, { fromSortKey: sortKeyOf(floor) }))
      if (listed.end > rewind.ancestor) await invalidateGroup(deps, listed.id, rewind.ancestor, tag);
  }
}

/**
 * The groups without those bisected into others of the list: a split parent spanning the ancestor
 * is invalidated (its end is above it) while its half at or below the ancestor stays live and holds
 * its members, so neither the cursor goes back to the parent's start nor are its members released.
 */
function withoutBisectedParents<G extends { readonly id: string; readonly parentGroupId?: string }>(
  groups: readonly G[],
): G[] {
  const parents = new Set(groups.map((g) => g.parentGroupId));
  return groups.filter((g) => !parents.has(g.id));
}

/** The stage's groups this rewind invalidated. */
async function invalidatedBy(deps: RewindStageDeps, stage: StageConfig, tag: string, floor: bigint) {
  const groups = new GroupRepository(deps.store);
  const invalidated = await groups.list(stage.name, 'invalidated', { fromSortKey: sortKeyOf(floor) });
  return invalidated.filter((g) => g.invalidatedBy === tag);
}

/**
 * Steps 2 and 3 of a Sequential stage, against collectors running meanwhile. A collector decides a
 * group by writing the cursor (position and `lastGroup`, conditional on the version it read), then
 * marks the members and creates the group item. So, per cursor version read here:
 * - the decided `lastGroup`, when it covers a block above the ancestor, is dropped whether or not
 *   its item exists yet (`invalidateDecidedGroup` creates it `invalidated` when not: the late
 *   create of its collector is refused, and that collector marks no member this rewind released,
 *   see `finishDecidedGroup`);
 * - every earlier decision's item exists (a collector creates its group before it decides the
 *   next), so step 2, run after this read, finds it;
 * - the cursor is written even when it does not move (`rewoundBy` alone): a collector that read
 *   it before, planning on messages step 1 has since invalidated, loses its cursor write and plans
 *   again; a decision written after this read makes the write lose, and all of it runs again.
 */
async function moveCursorBack(
  deps: RewindStageDeps,
  stage: StageConfig,
  rewind: L2Rewind,
  floor: bigint,
): Promise<void> {
  const tag = rewindTag(rewind);
  for (;;) {
    const item = await deps.store.get(cursorId(stage.name));
    if (item === undefined) return invalidateGroupsAbove(deps, stage, rewind, floor);
    const data = parseItemData(cursorSchema, item.data, 'cursor item', item.id);
    if (data.rewoundBy === tag) return;
    const last = data.lastGroup;
    const dropped = last !== undefined && BigInt(last.end) > rewind.ancestor ? last : undefined;
    if (dropped !== undefined) {
      const span = { ...dropped, stage: stage.name, start: BigInt(dropped.start), end: BigInt(dropped.end) };
      await invalidateDecidedGroup(deps, span, rewind.ancestor, tag);
    }
    await invalidateGroupsAbove(deps, stage, rewind, floor);
    let target = rewind.ancestor;
    for (const group of withoutBisectedParents(await invalidatedBy(deps, stage, tag, floor)))
      if (group.start < target) target = group.start;
    const moved: StoredItem =
      BigInt(data.position) > target
        ? { ...item, data: { position: target.toString(10), rewoundBy: tag } }
        : { ...item, data: { ...item.data, rewoundBy: tag } };
    if (await deps.store.replace(moved, item.version)) return;
  }
}

/**
 * Step 4: `collected → pending` for members at or below the ancestor, each once per rewind; a
 * superseded member the invalidated group held (re-proven in place) is let go of. A member still
 * `pending` is marked too (`releasedBy`) where the stage marks its members `collected` (range
 * keys): a collector still finishing a decision this rewind dropped leaves it pending then
 * (`finishDecidedGroup`), instead of collecting it for a group that is never formed. A member
 * above the ancestor still live was recorded after step 1 and goes to `invalidated` as step 1 does.
 */
async function releaseMembers(
  deps: RewindStageDeps,
  ids: readonly string[],
  keyKind: KeyKind,
  rewind: L2Rewind,
): Promise<number> {
  const tag = rewindTag(rewind);
  const marksPending = keyKind !== 'block';
  let released = 0;
  for (const id of new Set(ids)) {
    for (;;) {
      const item = await deps.store.get(id);
      const held = item === undefined ? undefined : heldByOf(item);
      const releasable = item?.status === 'collected' || (marksPending && item?.status === 'pending');
      if (item === undefined || (!releasable && held === undefined)) break;
      if (item.data.releasedBy === tag) break;
      const end = messageEnd(item, keyKind);
      if (end === undefined) break;
      if (end > rewind.ancestor) {
        // Recorded after step 1 (a delivery of the old branch's work still on its way) and collected
        // into the group since: invalidated here, so the canonical re-proof replaces it.
        if (await invalidateMessage(deps, item))
          deps.metrics.count(METRIC.reorgWorkInvalidated, 1, {
            kind: keyKind === 'block' ? 'block' : 'proof',
          });
        break;
      }
      // A member being re-proven in place (superseded, held by the invalidated group) stays
      // superseded but no longer held: its re-proof lands pending and is collected again.
      const next =
        held === undefined
          ? { ...item, status: 'pending', data: { ...item.data, releasedBy: tag } }
          : { ...item, data: { ...withoutHeldBy(item.data), releasedBy: tag } };
      if (await deps.store.replace(next, item.version)) {
        released++;
        break;
      }
    }
  }
  return released;
}

function inputKeyKind(stage: StageConfig): KeyKind {
  return stage.collector.strategy === 'sequential' ? stage.collector.keyKind : 'range';
}
