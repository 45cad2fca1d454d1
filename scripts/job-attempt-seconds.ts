import type { JobRunnerSnapshot } from '../devnet/stand-ins/job-runner-snapshot.js';
import { readJsonSnapshot } from '../devnet/stand-ins/json-snapshot.js';

/** Spawn-to-exit seconds of a stage's job attempts. */
export interface AttemptSeconds {
  readonly count: number;
  readonly median: number;
  readonly max: number;
}

/**
 * How long each Batch job attempt of the local run took from spawn to exit (the entrypoint and the
 * prover it starts), by stage (the job name's first word), read from the job runner's snapshot.
 */
export function jobAttemptSeconds(snapshotPath: string): Record<string, AttemptSeconds> {
  const snapshot = readJsonSnapshot(snapshotPath) as JobRunnerSnapshot | undefined;
  const byStage = new Map<string, number[]>();
  for (const job of snapshot?.jobs ?? []) {
    const stage = job.jobName.split('-')[0] ?? job.jobName;
    for (const attempt of job.attempts) {
      byStage.set(stage, [...(byStage.get(stage) ?? []), (attempt.stoppedAt - attempt.startedAt) / 1000]);
    }
  }
  return Object.fromEntries(
    [...byStage].map(([stage, seconds]) => {
      const sorted = seconds.sort((a, b) => a - b);
      return [
        stage,
        { count: sorted.length, median: sorted[sorted.length >> 1] ?? 0, max: sorted.at(-1) ?? 0 },
      ];
    }),
  );
}
