import type { Group, GroupJob } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { StateStore } from '../../../lambdas/core/ports/state-store.js';
import { PROPOSAL_KIND, PROPOSAL_STATUSES } from '../../../lambdas/proposer/proposal-records.js';
import { listGroups } from '../groups/list-groups.js';

/** A group's current job as the dashboard lists it. */
export interface RecentJob {
  readonly groupId: string;
  readonly stage: string;
  readonly status: string;
  readonly attempt: number;
  readonly jobName: string;
  /** The job runner's id once submitted. */
  readonly jobId: string | undefined;
  readonly claimedAt: string;
  /** From the claim to the group's last write (to now while it runs). */
  readonly durationSeconds: number;
}

/** A `proposal/<n>` item as the dashboard lists it. */
export interface RecentProposal {
  readonly l2Block: string;
  readonly status: string;
  readonly txHash: string | undefined;
  readonly l1Block: string | undefined;
  readonly updatedAt: string;
}

/** The `limit` most recently claimed jobs of every stage, newest first. */
export async function readRecentJobs(deps: OrchestratorDeps, limit: number): Promise<RecentJob[]> {
  const now = deps.clock.now().getTime();
  const groups = await listGroups(deps, {});
  return groups
    .flatMap((group) => {
      const job = jobOf(group);
      if (job === undefined) return [];
      const until = group.status === 'running' ? now : Date.parse(group.revision?.updatedAt ?? '');
      return [
        {
          groupId: group.id,
          stage: group.stage,
          status: group.status,
          attempt: group.attempt,
          jobName: job.name,
          jobId: job.submission?.jobId,
          claimedAt: job.claimedAt,
          durationSeconds: Math.max(0, Math.round((until - Date.parse(job.claimedAt)) / 1000)),
        },
      ];
    })
    .sort((a, b) => b.claimedAt.localeCompare(a.claimedAt))
    .slice(0, limit);
}

/** The `limit` proposals with the highest L2 blocks, in any status, highest first. */
export async function readRecentProposals(store: StateStore, limit: number): Promise<RecentProposal[]> {
  const lists = await Promise.all(PROPOSAL_STATUSES.map((status) => store.list(PROPOSAL_KIND, status)));
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return lists
    .flat()
    .sort((a, b) => b.sortKey.localeCompare(a.sortKey))
    .slice(0, limit)
    .map((item) => ({
      l2Block: item.id.slice(`${PROPOSAL_KIND}/`.length),
      status: item.status,
      txHash: text(item.data.txHash),
      l1Block: text(item.data.l1BlockNumber),
      updatedAt: item.updatedAt,
    }));
}

/** The job of the group's current attempt, if it got one. */
function jobOf(group: Group): GroupJob | undefined {
  return 'job' in group ? group.job : undefined;
}
