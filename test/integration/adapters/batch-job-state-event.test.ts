import { describe, expect, it } from 'vitest';
import { parseBatchJobStateChange } from '../../../lambdas/adapters/aws/batch-job-state-event.js';
import { InvalidInputError } from '../../../lambdas/core/errors.js';
import { batchJobStateChangeEvent } from '../../support/aws-stand-ins/batch-job-state-change-event.js';

/** The job queues of the stages the samples name (`<stage>-queue`). */
const OWN_QUEUES: ReadonlySet<string> = new Set(['range-queue', 'aggregate-queue', 'my-stage-queue']);

describe('parseBatchJobStateChange', () => {
  it('turns a SUCCEEDED event into a completion from the job parameters', () => {
    // Prepare
    const event = batchJobStateChangeEvent({ jobName: 'range-100-130-a1', status: 'SUCCEEDED', exitCode: 0 });

    // Act
    const outcome = parseBatchJobStateChange(event, OWN_QUEUES);

    // Assess
    expect(outcome).toEqual({
      stage: 'range',
      groupId: 'range/100-130',
      attempt: 1,
      jobName: 'range-100-130-a1',
      jobId: event.detail.jobId,
      status: 'SUCCEEDED',
      durationSeconds: 95,
      exitCode: 0,
      outputKey: 'jobs/range/100-130/a1/output.json',
      logStreamName: 'range/default/4c7599ae0a8249aaba5a4727fcce14a8',
    });
  });

  it('carries the failure reason and exit code of a FAILED event', () => {
    // Prepare
    const event = batchJobStateChangeEvent({
      jobName: 'aggregate-100-400-a2',
      status: 'FAILED',
      exitCode: 3,
      statusReason: 'Essential container in task exited',
    });

    // Act
    const outcome = parseBatchJobStateChange(event, OWN_QUEUES);

    // Assess
    expect(outcome).toMatchObject({
      stage: 'aggregate',
      groupId: 'aggregate/100-400',
      attempt: 2,
      status: 'FAILED',
      reason: 'Essential container in task exited; exit code 3',
    });
  });

  it('falls back to the job name when parameters are absent', () => {
    // Prepare
    const event = batchJobStateChangeEvent({ jobName: 'my-stage-5-9-a3', status: 'FAILED', parameters: {} });

    // Act / Assess
    expect(parseBatchJobStateChange(event, OWN_QUEUES)).toMatchObject({
      stage: 'my-stage',
      groupId: 'my-stage/5-9',
      attempt: 3,
    });
  });

  it('ignores the non-terminal statuses', () => {
    for (const status of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'] as const) {
      expect(
        parseBatchJobStateChange(batchJobStateChangeEvent({ jobName: 'range-1-2-a1', status }), OWN_QUEUES),
      ).toEqual({
        ignored: 'not-finished',
        jobName: 'range-1-2-a1',
        jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/range-queue',
        status,
      });
    }
  });

  it('ignores a finished job of another job queue, even one named like ours or named unlike any', () => {
    // Prepare
    const namedLikeOurs = batchJobStateChangeEvent({
      jobName: 'range-100-130-a1',
      status: 'FAILED',
      exitCode: 1,
      jobQueue: 'someone-elses-queue',
    });
    const namedOtherwise = batchJobStateChangeEvent({
      jobName: 'nightly-report',
      status: 'SUCCEEDED',
      parameters: {},
      jobQueue: 'reports',
    });
    // Act
    const first = parseBatchJobStateChange(namedLikeOurs, OWN_QUEUES);
    const second = parseBatchJobStateChange(namedOtherwise, OWN_QUEUES);
    // Assess
    expect(first).toEqual({
      ignored: 'foreign-job-queue',
      jobName: 'range-100-130-a1',
      jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/someone-elses-queue',
      status: 'FAILED',
    });
    expect(second).toMatchObject({ ignored: 'foreign-job-queue', jobName: 'nightly-report' });
  });

  it('refuses another event naming the field', () => {
    // Prepare
    const event = {
      ...batchJobStateChangeEvent({ jobName: 'range-1-2-a1', status: 'FAILED' }),
      source: 'aws.ecs',
    };

    // Act / Assess
    expect(() => parseBatchJobStateChange(event, OWN_QUEUES)).toThrow(InvalidInputError);
    expect(() => parseBatchJobStateChange(event, OWN_QUEUES)).toThrow(/source: .*got "aws.ecs"/);
  });

  it.each([
    ['CannotPullContainerError: pull access denied for prover', undefined, undefined, 'infrastructure'],
    ['ResourceInitializationError: unable to pull secrets', undefined, undefined, 'infrastructure'],
    ['Host EC2 (instance i-0abc) terminated.', undefined, undefined, 'infrastructure'],
    [
      'Essential container in task exited',
      'OutOfMemoryError: Container killed due to memory usage',
      137,
      'infrastructure',
    ],
    ['Essential container in task exited', undefined, 75, 'infrastructure'],
    ['Essential container in task exited', undefined, 1, 'prover'],
  ] as const)(
    'classifies "%s" (container reason %s, exit %s) as a %s failure',
    (statusReason, reason, exitCode, failureClass) => {
      // Prepare
      const event = batchJobStateChangeEvent({
        jobName: 'range-100-130-a1',
        status: 'FAILED',
        statusReason,
        ...(exitCode === undefined ? {} : { exitCode }),
        ...(reason === undefined ? {} : { containerReason: reason }),
      });
      // Act
      const outcome = parseBatchJobStateChange(event, OWN_QUEUES);
      // Assess
      expect(outcome).toMatchObject({ failureClass });
    },
  );
});
