import { describe, expect, it } from 'vitest';
import { StartupTimings } from '../../../devnet/runtime/startup-timings.js';
import type { LocalJob } from '../../../devnet/stand-ins/local-job.js';
import { markJobPhases } from '../../../scripts/job-phase-marks.js';

function job(queue: string, fields: Partial<LocalJob> & Pick<LocalJob, 'createdAt' | 'status'>): LocalJob {
  return {
    jobId: `${queue}-${fields.createdAt}`,
    jobArn: `arn:aws:batch:us-east-1:000000000000:job/${queue}-${fields.createdAt}`,
    jobName: `${queue}-${fields.createdAt}`,
    jobQueue: `arn:aws:batch:us-east-1:000000000000:job-queue/${queue}`,
    jobDefinition: queue,
    parameters: {},
    environment: [],
    maxAttempts: 1,
    evaluateOnExit: [],
    timeoutSeconds: 60,
    attempts: [],
    eventDelivered: true,
    ...fields,
  };
}

describe('markJobPhases', () => {
  it('marks each job up to the cut-off, numbered per queue in submission order, with how it ended', () => {
    // Prepare
    const timings = new StartupTimings(0);
    const jobs = [
      job('devnet-aggregate', { createdAt: 4_000, startedAt: 4_100, stoppedAt: 5_000, status: 'FAILED' }),
      job('devnet-range', { createdAt: 2_000, startedAt: 2_000, stoppedAt: 3_000, status: 'SUCCEEDED' }),
      job('devnet-range', { createdAt: 1_000, startedAt: 1_500, stoppedAt: 2_500, status: 'SUCCEEDED' }),
      job('devnet-range', { createdAt: 3_500, startedAt: 3_600, status: 'RUNNING' }),
      job('devnet-range', { createdAt: 9_000, status: 'RUNNABLE' }),
    ];

    // Act
    markJobPhases(timings, jobs, 6_000);

    // Assess
    expect(timings.entries()).toEqual([
      { phase: 'devnet-range job 1 submitted', atMs: 1_000 },
      { phase: 'devnet-range job 1 started', atMs: 1_500 },
      { phase: 'devnet-range job 2 started', atMs: 2_000 },
      { phase: 'devnet-range job 2 submitted', atMs: 2_000 },
      { phase: 'devnet-range job 1 succeeded', atMs: 2_500 },
      { phase: 'devnet-range job 2 succeeded', atMs: 3_000 },
      { phase: 'devnet-range job 3 submitted', atMs: 3_500 },
      { phase: 'devnet-range job 3 started', atMs: 3_600 },
      { phase: 'devnet-aggregate job 1 submitted', atMs: 4_000 },
      { phase: 'devnet-aggregate job 1 started', atMs: 4_100 },
      { phase: 'devnet-aggregate job 1 failed', atMs: 5_000 },
    ]);
  });
});
