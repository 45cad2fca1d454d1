import type { OpsContext } from '../../context/ops-context.js';
import { type PipelineStatus, readStatus } from '../status/read-status.js';
import {
  type RecentJob,
  type RecentProposal,
  readRecentJobs,
  readRecentProposals,
} from './recent-activity.js';

/** How many recent jobs and proposals the page lists. */
const RECENT = 10;

/** What the page's script renders: the status (as `status` reads it) and the recent activity. */
export interface DashboardSnapshot {
  readonly status: PipelineStatus;
  readonly recentJobs: readonly RecentJob[];
  readonly recentProposals: readonly RecentProposal[];
}

/** Reads the status through the `status` command's reader, and the recent jobs and proposals. */
export async function readDashboardSnapshot(context: OpsContext): Promise<DashboardSnapshot> {
  const [status, recentJobs, recentProposals] = await Promise.all([
    readStatus(context),
    readRecentJobs(context.deps, RECENT),
    readRecentProposals(context.deps.store, RECENT),
  ]);
  return { status, recentJobs, recentProposals };
}
