import * as z from 'zod';
import type { StoredItem } from '../../ports/state-store.js';
import { decimalString } from '../../schema/primitives.js';
import { newGroup } from '../group/group-item.js';
import { GroupRepository } from '../group/group-repository.js';
import type { Group } from '../group/group-state.js';
import { reformInvalidatedGroup } from '../group/reform-group.js';
import { settleMessages } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** A group a Sequential cursor decided (`lastGroup` in the cursor item): its span and members. */
export const plannedGroupSchema = z.object({
  id: z.string(),
  start: decimalString,
  end: decimalString,
  memberIds: z.array(z.string()).min(1),
});

export type PlannedGroup = z.output<typeof plannedGroupSchema>;

/**
 * The status a decided group is created in: `collected`, or straight `awaiting-checkpoint` for a
 * stage whose jobs wait for the proposer's L1 checkpoint (its hand-over would only move it there,
 * with no check in between: one write fewer per group).
 */
export type CreatedIn = 'collected' | 'awaiting-checkpoint';

/** What finishing a decided group came to. */
export interface FinishedDecision {
  /**
   * The group to hand over: created by this call (in `createdIn`), re-formed, or found still
   * `collected` (a crash before its hand-over).
   */
  readonly group: Group | undefined;
  /** The group item was found past `collected` (not invalidated): nothing was left to do. */
  readonly pastCollected: boolean;
}

/**
 * Finishes a decided group: members `collected` (parallel conditional writes), then the group
 * item. Returns the group item when this call created it or found it still `collected` (a crash
 * before its hand-over), none when it already moved on (nothing left to do).
 * `decidedHere`: the member items as the caller's plan read them when the caller's own cursor
 * write just decided the group; then no group item can exist yet and the look-up is skipped,
 * and the members are written from those items without reading them again (were one collected
 * after all, e.g. a concurrent collector finished it first, its write loses and is decided from
 * a fresh read, and the create is refused).
 */
export async function finishDecidedGroup(
  deps: OrchestratorDeps,
  stage: string,
  group: PlannedGroup,
  decidedHere: readonly StoredItem[] | undefined,
  createdIn: CreatedIn = 'collected',
): Promise<FinishedDecision> {
  const groups = new GroupRepository(deps.store);
  if (decidedHere === undefined) {
    const existing = await groups.get(group.id);
    // Still collected: a crashed run created it but never handed it over; the caller does.
    if (existing !== undefined && existing.status !== 'invalidated')
      return existing.status === 'collected'
        ? { group: existing, pastCollected: false }
        : { group: undefined, pastCollected: true };
  }
  const statuses = await settleMessages(deps, group.memberIds, 'collected', decidedHere);
  for (const [i, status] of statuses.entries()) {
    if (status !== 'collected') {
      deps.logger.error('group member could not be marked collected', {
        groupId: group.id,
        memberId: group.memberIds[i],
        status,
      });
    }
  }
  const fresh = newGroup(stage, BigInt(group.start), BigInt(group.end), group.memberIds, { id: group.id });
  const created = await groups.create(createdIn === 'collected' ? fresh : { ...fresh, status: createdIn });
  if (created !== undefined) {
    deps.logger.info('group formed', { groupId: group.id, members: group.memberIds.length });
    return { group: created, pastCollected: false };
  }
  return { group: await reformInvalidatedGroup(deps, fresh), pastCollected: false };
}
