import * as z from 'zod';
import type { StageConfig } from '../../config/schema.js';
import { cursorId, sortKeyOf } from '../../messages/ids.js';
import type { KeyKind } from '../../messages/key-kind.js';
import type { StoredItem } from '../../ports/state-store.js';
import { METRIC } from '../../ports/telemetry.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';
import { GROUP_STATUSES } from '../../status.js';
import { CONFLICT, GroupRepository } from '../group/group-repository.js';
import { commonOf } from '../group/group-state.js';
import { heldByOf, withoutHeldBy } from '../messages/supersede-held-member.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { type L2Rewind, rewindTag } from './rewind-intent.js';
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
 * 3. a Sequential stage's cursor moves back to the start of the first invalidated group (once:
 *    `rewoundBy`), its decided `lastGroup` dropped, so the canonical messages are collected again;
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
  const groups = new GroupRepository(deps.store);
  for (const status of GROUP_STATUSES) {
    if (status === 'invalidated') continue;
    for (const listed of await groups.list(stage.name, status, { fromSortKey: sortKeyOf(floor) })) {
      if (listed.end <= rewind.ancestor) continue;
      const moved = await groups.update(listed.id, async (group) => {
        if (group.status === 'invalidated' || group.end <= rewind.ancestor) return false;
        const written = await groups.move(group, {
          ...commonOf(group),
          status: 'invalidated',
          invalidatedBy: tag,
        });
        return written === undefined ? CONFLICT : true;
      });
      if (moved === true) deps.metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: 'group' });
    }
  }
  const ours = (await groups.list(stage.name, 'invalidated', { fromSortKey: sortKeyOf(floor) })).filter(
    (g) => g.invalidatedBy === tag,
  );
  const orphan = await moveCursorBack(
    deps,
    stage,
    rewind,
    ours.map((g) => g.start),
  );
  const members = [...ours.flatMap((g) => g.memberIds), ...orphan];
  const released = await releaseMembers(deps, members, inputKeyKind(stage), rewind);
  deps.logger.warn('L2 rewind: stage rewound', {
    stage: stage.name,
    ancestor: rewind.ancestor.toString(),
    groupsInvalidated: ours.map((g) => g.id),
    membersReleased: released,
  });
}

/**
 * Step 3. Returns the member ids of the cursor's decided `lastGroup` when it is dropped without a
 * group item (a crash between the decision and the create): they may already be `collected`.
 */
async function moveCursorBack(
  deps: RewindStageDeps,
  stage: StageConfig,
  rewind: L2Rewind,
  starts: readonly bigint[],
): Promise<string[]> {
  if (stage.collector.strategy !== 'sequential') return [];
  const tag = rewindTag(rewind);
  for (;;) {
    const item = await deps.store.get(cursorId(stage.name));
    if (item === undefined) return [];
    const data = parseItemData(cursorSchema, item.data, 'cursor item', item.id);
    if (data.rewoundBy === tag) return [];
    const last = data.lastGroup;
    const orphan =
      last !== undefined &&
      BigInt(last.end) > rewind.ancestor &&
      (await deps.store.get(last.id)) === undefined;
    let target = rewind.ancestor;
    for (const start of orphan ? [...starts, BigInt(last.start)] : starts) if (start < target) target = start;
    if (BigInt(data.position) <= target) return [];
    const moved: StoredItem = { ...item, data: { position: target.toString(10), rewoundBy: tag } };
    if (await deps.store.replace(moved, item.version)) return orphan ? [...last.memberIds] : [];
  }
}

/**
 * Step 4: `collected → pending` for members at or below the ancestor, each once per rewind; a
 * superseded member the invalidated group held (re-proven in place) is let go of.
 */
async function releaseMembers(
  deps: RewindStageDeps,
  ids: readonly string[],
  keyKind: KeyKind,
  rewind: L2Rewind,
): Promise<number> {
  const tag = rewindTag(rewind);
  let released = 0;
  for (const id of new Set(ids)) {
    for (;;) {
      const item = await deps.store.get(id);
      const held = item === undefined ? undefined : heldByOf(item);
      if (item === undefined || (item.status !== 'collected' && held === undefined)) break;
      if (item.data.releasedBy === tag) break;
      const end = messageEnd(item, keyKind);
      if (end === undefined || end > rewind.ancestor) break;
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
