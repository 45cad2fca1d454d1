import { isJoinStage } from '../../../lambdas/core/config/stage-schema.js';
import { breakerId } from '../../../lambdas/core/messages/ids.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { GROUP_STATUSES, type GroupStatus } from '../../../lambdas/core/status.js';
import { readStageBudget, type StageBudget } from './stage-budget.js';

/** Statuses a group leaves on its own (the rest are terminal, or wait for a reopen). */
export const OPEN_GROUP_STATUSES: readonly GroupStatus[] = [
  'collected',
  'awaiting-checkpoint',
  'running',
  'failed',
  'retried',
];

/** One stage as the status shows it. */
export interface StageProgress {
  readonly stage: string;
  readonly program: string;
  /** Groups per status (statuses with none left out). */
  readonly groups: Partial<Record<GroupStatus, number>>;
  /** End of the succeeded groups that chain from the origin without a gap; undefined before the first. */
  readonly provenHead: bigint | undefined;
  /** The open group with the lowest start, and how long since it was last written. */
  readonly oldestOpen:
    | {
        readonly id: string;
        readonly status: GroupStatus;
        readonly since: string;
        readonly ageSeconds: number;
      }
    | undefined;
  /** Groups waiting on a named cause: a job not placed (`waitReason`) or abandoned (a person must look). */
  readonly waits: readonly { readonly id: string; readonly status: GroupStatus; readonly reason: string }[];
  /** `breaker/<stage>`: absent → closed. */
  readonly breaker: { readonly status: string; readonly reason?: string; readonly openedAt?: string };
  /** Today's spend against `executor.budget` (and the wait it holds, if any); undefined without a budget. */
  readonly budget?: StageBudget;
}

/** Reads every stage's groups, head, oldest open group, waits, breaker and today's budget. */
export async function readStageProgress(deps: OrchestratorDeps): Promise<StageProgress[]> {
  const groups = new GroupRepository(deps.store);
  const now = deps.clock.now().getTime();
  return Promise.all(
    deps.config.stages.map(async (stage) => {
      const byStatus = await Promise.all(GROUP_STATUSES.map((status) => groups.list(stage.name, status)));
      const all: Group[] = byStatus.flat();
      const counts: Partial<Record<GroupStatus, number>> = {};
      GROUP_STATUSES.forEach((status, i) => {
        const count = byStatus[i]?.length ?? 0;
        if (count > 0) counts[status] = count;
      });
      const open = all
        .filter((group) => OPEN_GROUP_STATUSES.includes(group.status))
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))[0];
      const since = open?.revision?.updatedAt ?? '';
      const breakerItem = await deps.store.get(breakerId(stage.name));
      const budget = isJoinStage(stage)
        ? undefined
        : await readStageBudget(deps.store, stage, deps.clock.now());
      return {
        stage: stage.name,
        program: isJoinStage(stage) ? 'join' : stage.executor.program,
        groups: counts,
        provenHead: chainedHead(
          all.filter((group) => group.status === 'succeeded'),
          deps.origin,
        ),
        oldestOpen:
          open === undefined
            ? undefined
            : {
                id: open.id,
                status: open.status,
                since,
                ageSeconds: Math.max(0, Math.round((now - Date.parse(since)) / 1000)),
              },
        waits: all.flatMap((group) => {
          const reason = waitReasonOf(group);
          return reason === undefined ? [] : [{ id: group.id, status: group.status, reason }];
        }),
        breaker: {
          status: breakerItem?.status ?? 'closed',
          ...(typeof breakerItem?.data.reason === 'string' ? { reason: breakerItem.data.reason } : {}),
          ...(typeof breakerItem?.data.openedAt === 'string' ? { openedAt: breakerItem.data.openedAt } : {}),
        },
        ...(budget === undefined ? {} : { budget }),
      };
    }),
  );
}

/** The end of the longest run of groups `(origin, a], (a, b], …` (a reopened span breaks the chain there). */
export function chainedHead(succeeded: readonly Group[], origin: bigint): bigint | undefined {
  const byStart = new Map(succeeded.map((group) => [group.start, group]));
  let head: bigint | undefined;
  let at = origin;
  for (let next = byStart.get(at); next !== undefined; next = byStart.get(at)) {
    head = next.end;
    at = next.end;
  }
  return head;
}

/** Why a group waits on something other than the pipeline's own progress, if it does. */
function waitReasonOf(group: Group): string | undefined {
  if (group.status === 'running' && group.job.waitReason !== undefined) return group.job.waitReason;
  if (group.status === 'abandoned')
    return group.expiredReason ?? group.lastFailure?.error ?? 'abandoned: a person must look';
  return undefined;
}
