import { BatchClient, ListJobsCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BatchJobRunner } from '../../../lambdas/adapters/aws/batch-job-runner.js';

const jobQueue = 'arn:aws:batch:us-east-1:123456789012:job-queue/range';
const job = { stage: 'range', name: 'range-100-130-a1' };

describe('BatchJobRunner.state (SDK mock)', () => {
  const client = new BatchClient({});
  const batch = mockClient(client);
  const runner = new BatchJobRunner({
    client,
    targets: { range: { jobQueue, jobDefinition: 'range-def' } },
  });

  beforeEach(() => {
    batch.reset();
  });

  it.each([
    {
      statuses: ['RUNNABLE'],
      expected: {
        state: 'active',
        runnable: { since: '1970-01-01T00:00:00.001Z', reason: 'Host EC2 (instance i-1) terminated.' },
      },
    },
    { statuses: ['RUNNABLE', 'RUNNING'], expected: { state: 'active' } },
    { statuses: ['FAILED', 'RUNNING'], expected: { state: 'active' } },
    { statuses: ['FAILED', 'SUCCEEDED'], expected: { state: 'succeeded' } },
    {
      statuses: ['FAILED'],
      expected: {
        state: 'failed',
        reason: 'Host EC2 (instance i-1) terminated.',
        failureClass: 'infrastructure',
      },
    },
    { statuses: [], expected: { state: 'unknown' } },
  ])('jobs named like the job in $statuses → $expected.state', async ({ statuses, expected }) => {
    // Prepare
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [
        ...statuses.map((status, i) => ({
          jobId: `job-${i}`,
          jobName: job.name,
          status: status as 'RUNNING',
          statusReason: 'Host EC2 (instance i-1) terminated.',
          createdAt: 1,
        })),
        { jobId: 'other', jobName: 'range-100-130-a2', status: 'SUCCEEDED', createdAt: 1 },
      ],
    });
    // Act
    const state = await runner.state(job);
    // Assess
    expect(state).toEqual(expected);
    const request = batch.commandCalls(ListJobsCommand)[0]!.args[0].input;
    expect(request).toEqual({ jobQueue, filters: [{ name: 'JOB_NAME', values: [job.name] }] });
  });

  it('says since when and why a job waits RUNNABLE', async () => {
    // Prepare
    const createdAt = Date.parse('2026-01-01T10:00:00Z');
    const reason = 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested';
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [
        { jobId: 'j', jobName: job.name, status: 'RUNNABLE', statusReason: reason, createdAt },
      ],
    });
    // Act
    const state = await runner.state(job);
    // Assess
    expect(state).toEqual({ state: 'active', runnable: { since: '2026-01-01T10:00:00.000Z', reason } });
  });

  it("gives a finished job's run time (startedAt → stoppedAt), so a reconciled job still counts toward its budget", async () => {
    // Prepare
    const startedAt = Date.parse('2026-01-01T10:00:00Z');
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [
        {
          jobId: 'j',
          jobName: job.name,
          status: 'SUCCEEDED',
          createdAt: 1,
          startedAt,
          stoppedAt: startedAt + 95_000,
        },
      ],
    });
    // Act
    const state = await runner.state(job);
    // Assess
    expect(state).toEqual({ state: 'succeeded', durationSeconds: 95 });
  });

  it('says since when a job runs', async () => {
    // Prepare
    const startedAt = Date.parse('2026-01-01T10:05:00Z');
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [{ jobId: 'j', jobName: job.name, status: 'RUNNING', createdAt: 1, startedAt }],
    });
    // Act
    const state = await runner.state(job);
    // Assess
    expect(state).toEqual({ state: 'active', startedAt: '2026-01-01T10:05:00.000Z' });
  });

  it('answers unknown for a stage without a Batch target, without calling Batch', async () => {
    // Act
    const state = await runner.state({ stage: 'nope', name: 'nope-1-2-a1' });
    // Assess
    expect(state).toEqual({ state: 'unknown' });
    expect(batch.commandCalls(ListJobsCommand)).toHaveLength(0);
  });
});
