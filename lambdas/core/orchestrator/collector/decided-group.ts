import * as z from 'zod';
import type { StageConfig } from '../../config/schema.js';
import { isProvingStage } from '../../config/stage-schema.js';
import type { StoredItem } from '../../ports/state-store.js';
import { decimalString } from '../../schema/primitives.js';
import { claimedOnCreate, mayClaimOnCreate } from '../group/claim-on-create.js';
import { newGroup } from '../group/group-item.js';
import { GroupRepository } from '../group/group-repository.js';
import type { Group, GroupMove } from '../group/group-state.js';
import { reformInvalidatedGroup } from '../group/reform-group.js';
import { settleMessages } from '../messages/message-records.js';
import { rewindGeneration } from '../messages/rewind-tag.js';
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
 * The status a decided group is created in: `collected`; straight `awaiting-checkpoint` for a
 * stage whose jobs wait for the proposer's L1 checkpoint (its hand-over would only move it there,
 * with no check in between); `claimed`: straight `running` with its first job claimed when the
 * stage takes a job now (`mayClaimOnCreate`), else `collected`. One write fewer per group either way.
 */
export type CreatedIn = 'collected' | 'awaiting-checkpoint' | 'claimed';

/** How a collector finishes the group its cursor decided. */
export interface DecisionOptions {
  /** The status the group item is created in. @default 'collected' */
  readonly createdIn?: CreatedIn;
  /** Whether the members are marked `collected` (false: they stay `pending`). @default true */
  readonly marksMembers?: boolean;
  /**
   * The cursor's `rewoundBy` when the group was decided: the last L2 rewind the decision knows of.
   * A later rewind may have dropped it (`rewind-stage.ts`): then no member that rewind released is
   * marked, and the group it invalidated is not formed again from this decision.
   */
  readonly rewoundBy?: string;
}

/** What finishing a decided group came to. */
export interface FinishedDecision {
  /**
   * The group to hand over: created by this call (in `createdIn`; `running` still has its job to
   * submit), re-formed, or found still `collected` (a crash before its hand-over).
   */
  readonly group: Group | undefined;
  /** The group item was found past `collected` (not invalidated): nothing was left to do. */
  readonly pastCollected: boolean;
  /**
   * The member items as this call wrote them, when it wrote every one over the items the caller's
   * plan read: the job input is built from them without reading them back.
   */
  readonly members?: readonly StoredItem[];
}

/**
 * Finishes a decided group: members `collected` (parallel conditional writes) unless
 * `marksMembers` is false, then the group item. Unmarked members stay `pending`: behind the
 * cursor and named by the group, which is what makes them members (`membersStayPending`). Returns the group item when this call created it or found it still `collected` (a crash
 * before its hand-over), none when it already moved on (nothing left to do).
 * `decidedHere`: the member items as the caller's plan read them when the caller's own cursor
 * write just decided the group; then no group item can exist yet but one an L2 rewind wrote
 * `invalidated` to drop the decision (its create is refused then), and the look-up is skipped,
 * and the members are written from those items without reading them again (were one collected
 * after all, e.g. a concurrent collector finished it first, its write loses and is decided from
 * a fresh read, and the create is refused).
 */
export async function finishDecidedGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  group: PlannedGroup,
  decidedHere: readonly StoredItem[] | undefined,
  options: DecisionOptions = {},
): Promise<FinishedDecision> {
  const { createdIn = 'collected', marksMembers = true } = options;
  const decidedIn = rewindGeneration(options.rewoundBy);
  const groups = new GroupRepository(deps.store);
  if (decidedHere === undefined) {
    const existing = await groups.get(group.id);
    // Still collected: a crashed run created it but never handed it over; the caller does.
    if (existing !== undefined && existing.status !== 'invalidated')
      return existing.status === 'collected'
        ? { group: existing, pastCollected: false }
        : { group: undefined, pastCollected: true };
  }
  const settled = marksMembers
    ? await markCollected(deps, group, decidedHere, decidedIn)
    : (decidedHere?.map((written) => ({ written })) ?? []);
  const fresh = newGroup(stage.name, BigInt(group.start), BigInt(group.end), group.memberIds, {
    id: group.id,
  });
  const created = await groups.create(await initialState(deps, stage, fresh, createdIn));
  if (created !== undefined) {
    deps.logger.info('group formed', { groupId: group.id, members: group.memberIds.length });
    const written = settled.map((s) => s.written).filter((item) => item !== undefined);
    return {
      group: created,
      pastCollected: false,
      ...(written.length > 0 && written.length === settled.length ? { members: written } : {}),
    };
  }
  // Formed again only by a decision made after the rewind that invalidated it, on the canonical messages.
  const decidedAfter = (invalidatedBy: string) => rewindGeneration(invalidatedBy) <= decidedIn;
  return { group: await reformInvalidatedGroup(deps, fresh, decidedAfter), pastCollected: false };
}

/**
 * Members `collected` (parallel conditional writes); one that could not be is logged. A member an
 * L2 rewind later than the decision (`decidedIn`) released stays `pending`: that rewind dropped
 * the decision, and the member is collected again from the cursor it moved back.
 */
async function markCollected(
  deps: OrchestratorDeps,
  group: PlannedGroup,
  decidedHere: readonly StoredItem[] | undefined,
  decidedIn: number,
): Promise<readonly { readonly written?: StoredItem }[]> {
  const releasedBefore = (item: StoredItem) =>
    rewindGeneration(typeof item.data.releasedBy === 'string' ? item.data.releasedBy : undefined) <=
    decidedIn;
  const settled = await settleMessages(deps, group.memberIds, 'collected', decidedHere, releasedBefore);
  for (const [i, { status }] of settled.entries()) {
    if (status === 'pending') {
      deps.logger.warn('group member released by a later L2 rewind: left pending, the decision was dropped', {
        groupId: group.id,
        memberId: group.memberIds[i],
      });
    } else if (status !== 'collected') {
      deps.logger.error('group member could not be marked collected', {
        groupId: group.id,
        memberId: group.memberIds[i],
        status,
      });
    }
  }
  return settled;
}

/** The state a new group is created in (`CreatedIn`). */
async function initialState(
  deps: OrchestratorDeps,
  stage: StageConfig,
  fresh: GroupMove,
  createdIn: CreatedIn,
): Promise<GroupMove> {
  if (createdIn === 'awaiting-checkpoint') return { ...fresh, status: 'awaiting-checkpoint' };
  if (createdIn === 'claimed' && isProvingStage(stage) && (await mayClaimOnCreate(deps, stage)))
    return claimedOnCreate(fresh, deps.clock.now());
  return fresh;
}
