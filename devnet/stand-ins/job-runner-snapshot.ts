import { readJsonSnapshot, writeJsonSnapshot } from './json-snapshot.js';
import type { LocalJob } from './local-job.js';
import { killStaleJobGroups } from './stale-job-groups.js';

/** What the local job runner persists, so a restart resumes its queue and its counts. */
export interface JobRunnerSnapshot {
  readonly jobs: LocalJob[];
  readonly submittedByName: Record<string, number>;
  readonly runsByName: Record<string, number>;
}

/** Writes the runner's state (atomically, see `writeJsonSnapshot`). */
export function writeJobRunnerSnapshot(path: string, snapshot: JobRunnerSnapshot): void {
  writeJsonSnapshot(path, snapshot);
}

/**
 * Reads the snapshot a previous run left and makes it resumable: the process groups of attempts it
 * left running are killed, and jobs it cut off go back in the queue.
 * @param onLog - told how many stale process groups were killed, if any.
 * @returns the snapshot, or undefined when there is none.
 */
export function resumeJobRunnerSnapshot(
  path: string,
  onLog?: (line: string) => void,
): JobRunnerSnapshot | undefined {
  const snapshot = readJsonSnapshot(path) as JobRunnerSnapshot | undefined;
  if (snapshot === undefined) return undefined;
  const stale = snapshot.jobs.flatMap((job) =>
    job.pgid === undefined ? [] : [{ pgid: job.pgid, jobId: job.jobId }],
  );
  const killed = killStaleJobGroups(stale);
  if (killed.length > 0) onLog?.(`killed ${killed.length} job process group(s) a previous run left behind`);
  for (const job of snapshot.jobs) {
    delete job.pgid;
    // A job cut off by a stop resumes as Batch would keep it: back in the queue.
    if (job.status === 'STARTING' || job.status === 'RUNNING' || job.status === 'SUBMITTED')
      job.status = 'RUNNABLE';
  }
  return snapshot;
}
