import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A job attempt's process group as a previous run of the local job runner recorded it. */
export interface RecordedJobGroup {
  readonly pgid: number;
  /** The job's AWS_BATCH_JOB_ID, which every process of the group has in its environment. */
  readonly jobId: string;
}

/**
 * Kills (SIGKILL) the process groups of job attempts a previous run left behind (its process was killed
 * with SIGKILL, so no exit hook ran). On Linux a group is killed only if one of its processes still has
 * the job's `AWS_BATCH_JOB_ID` in its environment, so a process group id reused by an unrelated program
 * is left alone; elsewhere the group is killed as recorded. Returns the process group ids killed.
 */
export function killStaleJobGroups(groups: readonly RecordedJobGroup[]): number[] {
  const killed: number[] = [];
  for (const group of groups) {
    if (!belongsToJob(group)) continue;
    try {
      process.kill(-group.pgid, 'SIGKILL');
      killed.push(group.pgid);
    } catch {
      // already gone
    }
  }
  return killed;
}

function belongsToJob(group: RecordedJobGroup): boolean {
  if (!existsSync('/proc/self/stat')) return true;
  const marker = `AWS_BATCH_JOB_ID=${group.jobId}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, pgrp, ...
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== group.pgid) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) return true;
    } catch {
      // the process exited meanwhile, or is not ours
    }
  }
  return false;
}
