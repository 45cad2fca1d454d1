import type { StartupTimings } from '../devnet/runtime/startup-timings.js';
import type { LocalJob } from '../devnet/stand-ins/local-job.js';

/**
 * Marks on `timings` when each job the local Batch created up to `untilMs` was submitted, started
 * (its first attempt) and ended (SUCCEEDED / FAILED), named `<queue> job <n>` in submission order
 * per queue, e.g. `devnet-range job 1 started`: the jobs on the way to the first proposal.
 */
export function markJobPhases(timings: StartupTimings, jobs: readonly LocalJob[], untilMs: number): void {
  const perQueue = new Map<string, number>();
  for (const job of [...jobs].sort((a, b) => a.createdAt - b.createdAt)) {
    if (job.createdAt > untilMs) continue;
    const queue = job.jobQueue.slice(job.jobQueue.lastIndexOf('/') + 1);
    const n = (perQueue.get(queue) ?? 0) + 1;
    perQueue.set(queue, n);
    const label = `${queue} job ${n}`;
    timings.mark(`${label} submitted`, job.createdAt);
    if (job.startedAt !== undefined) timings.mark(`${label} started`, job.startedAt);
    if ((job.status === 'SUCCEEDED' || job.status === 'FAILED') && job.stoppedAt !== undefined) {
      timings.mark(`${label} ${job.status.toLowerCase()}`, job.stoppedAt);
    }
  }
}
