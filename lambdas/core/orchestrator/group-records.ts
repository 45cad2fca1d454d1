import { z } from 'zod';
import { l1CheckpointSchema } from '../executor/aggregate-contract.js';
import { groupId, sortKeyOf } from '../messages/ids.js';
import type { NewItem, StateStore, StoredItem } from '../ports/state-store.js';
import { parseItemData } from '../schema/parse-item-data.js';
import { decimalString } from '../schema/primitives.js';
import { assertTransition, GROUP_TRANSITIONS, type GroupStatus } from '../status.js';

/** State-store kind of the groups of one stage. */
export function groupKind(stage: string): string {
  return `group#${stage}`;
}

/** Data of a group item (block numbers as decimal strings). */
export const groupDataSchema = z.object({
  stage: z.string(),
  start: decimalString,
  end: decimalString,
  memberIds: z.array(z.string()),
  attempt: z.number().int().min(1),
  /** Match groups: the value the members share. */
  matchValue: z.string().optional(),
  jobName: z.string().optional(),
  /** When a dispatcher claimed the current attempt (moved the group to `running`), ISO time. */
  claimedAt: z.string().optional(),
  jobId: z.string().optional(),
  /** When the current attempt's job was submitted; absent on a claim whose submit did not finish. */
  submittedAt: z.string().optional(),
  inputKey: z.string().optional(),
  outputKey: z.string().optional(),
  checkpoint: l1CheckpointSchema.optional(),
  rangeVkey: z.string().optional(),
  proverAddress: z.string().optional(),
  error: z.string().optional(),
  stderrTail: z.string().optional(),
  parentGroupId: z.string().optional(),
  childGroupIds: z.array(z.string()).optional(),
  /** Why a group ended without running (Match timeout under `onTimeout: fail`, members disagreeing). */
  expiredReason: z.string().optional(),
  /** Set when the group failed because its executor input could not be built: it is abandoned, not retried. */
  inputUnbuildable: z.literal(true).optional(),
  /** Why a succeeded group was reopened for a new attempt (an L1 reorg replaced its checkpoint). */
  reopenReason: z.string().optional(),
});

/** Longest error text kept on a group item (DynamoDB items are ≤ 400 KB; the dashboard shows a line). */
export const MAX_GROUP_ERROR_CHARS = 2000;

export type GroupData = z.output<typeof groupDataSchema>;

/** @throws InvalidInputError naming the group id and the data path that does not validate. */
export function groupData(item: StoredItem): GroupData {
  return parseItemData(groupDataSchema, item.data, 'group item', item.id);
}

/** A new group item in `collected` (its id from `groupId(stage, start, end)` unless given). */
export function newGroupItem(
  stage: string,
  start: bigint,
  end: bigint,
  memberIds: readonly string[],
  extra: Partial<GroupData> & { id?: string } = {},
): NewItem {
  const { id, ...rest } = extra;
  const data: GroupData = {
    stage,
    start: start.toString(10),
    end: end.toString(10),
    memberIds: [...memberIds],
    attempt: 1,
    ...rest,
  };
  return {
    id: id ?? groupId(stage, start, end),
    kind: groupKind(stage),
    status: 'collected',
    sortKey: sortKeyOf(start),
    data,
  };
}

/**
 * Moves a group to `to` (checked against the transition table) with a data patch, conditional on
 * the version read; `clear` names data fields to remove. Returns the stored item after the write,
 * or undefined when another writer changed the group first (the caller re-reads and decides again).
 */
export async function moveGroup(
  store: StateStore,
  item: StoredItem,
  to: GroupStatus,
  patch: Partial<GroupData> = {},
  clear: readonly (keyof GroupData)[] = [],
): Promise<StoredItem | undefined> {
  assertTransition(GROUP_TRANSITIONS, `group ${item.id}`, item.status as GroupStatus, to);
  return writeGroup(store, item, to, patch, clear);
}

/**
 * Changes a group's data without changing its status (e.g. records the job id of a `running`
 * group), conditional on the version read. Returns the stored item, or undefined on a conflict.
 */
export async function patchGroup(
  store: StateStore,
  item: StoredItem,
  patch: Partial<GroupData>,
): Promise<StoredItem | undefined> {
  return writeGroup(store, item, item.status, patch, []);
}

async function writeGroup(
  store: StateStore,
  item: StoredItem,
  status: string,
  patch: Partial<GroupData>,
  clear: readonly (keyof GroupData)[],
): Promise<StoredItem | undefined> {
  const data: Record<string, unknown> = { ...item.data, ...patch };
  for (const field of clear) delete data[field];
  const next: NewItem = { id: item.id, kind: item.kind, status, sortKey: item.sortKey, data };
  if (!(await store.replace(next, item.version))) return undefined;
  return { ...next, version: item.version + 1, updatedAt: item.updatedAt };
}
