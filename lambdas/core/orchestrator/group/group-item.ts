import * as z from 'zod';
import { InvalidInputError } from '../../errors.js';
import { l1CheckpointSchema } from '../../executor/aggregate-contract.js';
import { groupId, sortKeyOf } from '../../messages/ids.js';
import type { NewItem, StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';
import { GROUP_STATUSES, type GroupStatus } from '../../status.js';
import { hedgeOf, storedHedgeSchema } from '../hedge/hedge-job.js';
import type { Group, GroupCommon, GroupJob, GroupMove } from './group-state.js';

/** State-store kind of the groups of one stage. */
export function groupKind(stage: string): string {
  return `group#${stage}`;
}

/** Longest error text kept on a group item (DynamoDB items are ≤ 400 KB; the dashboard shows a line). */
export const MAX_GROUP_ERROR_CHARS = 2000;

/** A group item's data as stored: flat, block numbers as decimal strings. */
const storedGroupSchema = z.object({
  stage: z.string(),
  start: decimalString,
  end: decimalString,
  memberIds: z.array(z.string()),
  attempt: z.number().int().min(1),
  failures: z.number().int().min(0).optional(),
  infraFailures: z.number().int().min(0).optional(),
  l1ReorgRetries: z.number().int().min(0).optional(),
  failureClass: z.enum(['infrastructure', 'configuration']).optional(),
  notBefore: z.string().optional(),
  matchValue: z.string().optional(),
  jobName: z.string().optional(),
  claimedAt: z.string().optional(),
  jobId: z.string().optional(),
  submittedAt: z.string().optional(),
  waitReason: z.string().optional(),
  hedge: storedHedgeSchema.optional(),
  inputKey: z.string().optional(),
  outputKey: z.string().optional(),
  checkpoint: l1CheckpointSchema.optional(),
  rangeVkey: z.string().optional(),
  proverAddress: z.string().optional(),
  error: z.string().optional(),
  stderrTail: z.string().optional(),
  parentGroupId: z.string().optional(),
  childGroupIds: z.array(z.string()).optional(),
  expiredReason: z.string().optional(),
  inputUnbuildable: z.literal(true).optional(),
  reopenReason: z.string().optional(),
  invalidatedBy: z.string().optional(),
});

type StoredGroup = z.output<typeof storedGroupSchema>;

/**
 * Parses a stored group item into its typed state, once, at the store boundary.
 * @throws InvalidInputError naming the item id and the field that is missing or invalid for its status.
 */
export function parseGroup(item: StoredItem): Group {
  const data = parseItemData(storedGroupSchema, item.data, 'group item', item.id);
  const status = item.status as GroupStatus;
  if (!GROUP_STATUSES.includes(status))
    throw new InvalidInputError(`group item ${item.id}`, [`status: "${item.status}" is not a group status`]);
  const common: GroupCommon = {
    id: item.id,
    stage: data.stage,
    start: BigInt(data.start),
    end: BigInt(data.end),
    memberIds: data.memberIds,
    attempt: data.attempt,
    failures: data.failures ?? 0,
    infraFailures: data.infraFailures ?? 0,
    revision: { version: item.version, updatedAt: item.updatedAt },
    ...(data.matchValue === undefined ? {} : { matchValue: data.matchValue }),
    ...(data.parentGroupId === undefined ? {} : { parentGroupId: data.parentGroupId }),
    ...(data.reopenReason === undefined ? {} : { reopenReason: data.reopenReason }),
    ...(data.l1ReorgRetries === undefined ? {} : { l1ReorgRetries: data.l1ReorgRetries }),
    ...(data.checkpoint === undefined || data.rangeVkey === undefined || data.proverAddress === undefined
      ? {}
      : {
          grant: {
            checkpoint: data.checkpoint,
            rangeVkey: data.rangeVkey,
            proverAddress: data.proverAddress,
          },
        }),
    ...(data.error === undefined
      ? {}
      : {
          lastFailure: {
            error: data.error,
            ...(data.stderrTail === undefined ? {} : { stderrTail: data.stderrTail }),
            ...(data.inputUnbuildable === undefined ? {} : { inputUnbuildable: true as const }),
            ...(data.failureClass === undefined ? {} : { failureClass: data.failureClass }),
          },
        }),
  };
  const job = jobOf(data);
  const missing = (field: string) =>
    new InvalidInputError(`group item ${item.id}`, [`data.${field}: missing for a ${status} group`]);
  switch (status) {
    case 'running':
      if (job === undefined) throw missing('jobName, inputKey, outputKey, claimedAt');
      return { ...common, status, job };
    case 'succeeded':
      // A join stage's group succeeds without a job of its own.
      return { ...common, status, ...(job === undefined ? {} : { job }) };
    case 'failed':
      if (common.lastFailure === undefined) throw missing('error');
      return { ...common, status, lastFailure: common.lastFailure, ...(job === undefined ? {} : { job }) };
    case 'split':
      if (data.childGroupIds === undefined) throw missing('childGroupIds');
      return { ...common, status, childGroupIds: data.childGroupIds };
    case 'abandoned':
      return {
        ...common,
        status,
        ...(job === undefined ? {} : { job }),
        ...(data.expiredReason === undefined ? {} : { expiredReason: data.expiredReason }),
      };
    case 'invalidated':
      if (data.invalidatedBy === undefined) throw missing('invalidatedBy');
      return { ...common, status, invalidatedBy: data.invalidatedBy };
    case 'retried':
      return { ...common, status, ...(data.notBefore === undefined ? {} : { notBefore: data.notBefore }) };
    case 'awaiting-checkpoint':
      return { ...common, status, ...(data.waitReason === undefined ? {} : { waitReason: data.waitReason }) };
    default:
      return { ...common, status };
  }
}

function jobOf(data: StoredGroup): GroupJob | undefined {
  const { jobName, inputKey, outputKey, claimedAt, jobId, submittedAt, waitReason, hedge } = data;
  if (jobName === undefined || inputKey === undefined || outputKey === undefined || claimedAt === undefined)
    return undefined;
  return {
    name: jobName,
    inputKey,
    outputKey,
    claimedAt,
    ...(jobId === undefined || submittedAt === undefined ? {} : { submission: { jobId, submittedAt } }),
    ...(waitReason === undefined ? {} : { waitReason }),
    ...(hedge === undefined ? {} : { hedge: hedgeOf(hedge) }),
  };
}

/** The item that stores `group` (its data holds only what its state has). */
export function groupItem(group: GroupMove | Group): NewItem {
  const data: StoredGroup = {
    stage: group.stage,
    start: group.start.toString(10),
    end: group.end.toString(10),
    memberIds: [...group.memberIds],
    attempt: group.attempt,
    ...(group.failures === 0 ? {} : { failures: group.failures }),
    ...(group.infraFailures === 0 ? {} : { infraFailures: group.infraFailures }),
    ...(group.matchValue === undefined ? {} : { matchValue: group.matchValue }),
    ...(group.parentGroupId === undefined ? {} : { parentGroupId: group.parentGroupId }),
    ...(group.reopenReason === undefined ? {} : { reopenReason: group.reopenReason }),
    ...(group.l1ReorgRetries === undefined ? {} : { l1ReorgRetries: group.l1ReorgRetries }),
    ...(group.grant === undefined
      ? {}
      : {
          checkpoint: group.grant.checkpoint,
          rangeVkey: group.grant.rangeVkey,
          proverAddress: group.grant.proverAddress,
        }),
    ...(group.lastFailure === undefined
      ? {}
      : {
          error: group.lastFailure.error.slice(0, MAX_GROUP_ERROR_CHARS),
          ...(group.lastFailure.stderrTail === undefined ? {} : { stderrTail: group.lastFailure.stderrTail }),
          ...(group.lastFailure.inputUnbuildable === undefined ? {} : { inputUnbuildable: true as const }),
          ...(group.lastFailure.failureClass === undefined
            ? {}
            : { failureClass: group.lastFailure.failureClass }),
        }),
    ...('job' in group && group.job !== undefined ? storedJob(group.job) : {}),
    ...(group.status === 'split' ? { childGroupIds: [...group.childGroupIds] } : {}),
    ...(group.status === 'retried' && group.notBefore !== undefined ? { notBefore: group.notBefore } : {}),
    ...(group.status === 'awaiting-checkpoint' && group.waitReason !== undefined
      ? { waitReason: group.waitReason }
      : {}),
    ...(group.status === 'abandoned' && group.expiredReason !== undefined
      ? { expiredReason: group.expiredReason }
      : {}),
    ...(group.status === 'invalidated' ? { invalidatedBy: group.invalidatedBy } : {}),
  };
  return {
    id: group.id,
    kind: groupKind(group.stage),
    status: group.status,
    sortKey: sortKeyOf(group.start),
    data,
  };
}

function storedJob(job: GroupJob): Partial<StoredGroup> {
  return {
    jobName: job.name,
    inputKey: job.inputKey,
    outputKey: job.outputKey,
    claimedAt: job.claimedAt,
    ...(job.submission === undefined
      ? {}
      : { jobId: job.submission.jobId, submittedAt: job.submission.submittedAt }),
    ...(job.waitReason === undefined ? {} : { waitReason: job.waitReason }),
    ...(job.hedge === undefined ? {} : { hedge: job.hedge }),
  };
}

/** A new group in `collected`, attempt 1 (its id `groupId(stage, start, end)` unless given). */
export function newGroup(
  stage: string,
  start: bigint,
  end: bigint,
  memberIds: readonly string[],
  extra: { readonly id?: string; readonly matchValue?: string; readonly parentGroupId?: string } = {},
): GroupMove {
  return {
    id: extra.id ?? groupId(stage, start, end),
    stage,
    start,
    end,
    memberIds: [...memberIds],
    attempt: 1,
    failures: 0,
    infraFailures: 0,
    status: 'collected',
    ...(extra.matchValue === undefined ? {} : { matchValue: extra.matchValue }),
    ...(extra.parentGroupId === undefined ? {} : { parentGroupId: extra.parentGroupId }),
  };
}
