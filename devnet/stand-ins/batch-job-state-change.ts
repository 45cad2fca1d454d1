import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from './local-account.js';
import type { LocalJob } from './local-job.js';

/** The "Batch Job State Change" EventBridge event, shaped as AWS documents it. */
export interface BatchJobStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Batch Job State Change';
  readonly source: 'aws.batch';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

/** The DescribeJobs / event `detail` view of a job. */
export function jobDetail(job: LocalJob): Record<string, unknown> {
  const last = job.attempts.at(-1);
  return {
    jobArn: job.jobArn,
    jobName: job.jobName,
    jobId: job.jobId,
    jobQueue: job.jobQueue,
    status: job.status,
    ...(job.statusReason === undefined ? {} : { statusReason: job.statusReason }),
    attempts: job.attempts.map((attempt) => ({
      container: { exitCode: attempt.exitCode ?? undefined, logStreamName: attempt.logPath },
      startedAt: attempt.startedAt,
      stoppedAt: attempt.stoppedAt,
      statusReason: attempt.statusReason,
    })),
    createdAt: job.createdAt,
    ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
    ...(job.stoppedAt === undefined ? {} : { stoppedAt: job.stoppedAt }),
    retryStrategy: { attempts: job.maxAttempts, evaluateOnExit: job.evaluateOnExit },
    timeout: { attemptDurationSeconds: job.timeoutSeconds },
    dependsOn: [],
    jobDefinition: job.jobDefinition,
    parameters: job.parameters,
    container: {
      image: 'local',
      command: [],
      environment: job.environment,
      ...(last?.exitCode === undefined || last.exitCode === null ? {} : { exitCode: last.exitCode }),
      ...(last === undefined ? {} : { logStreamName: last.logPath }),
    },
    tags: {},
    propagateTags: false,
    platformCapabilities: ['EC2'],
  };
}

/** The state-change event of a job that reached a terminal state. */
export function batchJobStateChangeEvent(job: LocalJob, region: string): BatchJobStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Batch Job State Change',
    source: 'aws.batch',
    account: LOCAL_ACCOUNT_ID,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [job.jobArn],
    detail: jobDetail(job),
  };
}
