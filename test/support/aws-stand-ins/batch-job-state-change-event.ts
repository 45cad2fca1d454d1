type BatchStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface BatchJobStateChangeSample {
  readonly jobName: string;
  readonly status: BatchStatus;
  readonly exitCode?: number;
  readonly statusReason?: string;
  /** The container's `reason` (e.g. `OutOfMemoryError: Container killed due to memory usage`). */
  readonly containerReason?: string;
  /** Defaults to the parameters the Batch job runner sets, derived from the job name. */
  readonly parameters?: Record<string, string>;
  readonly jobId?: string;
  /**
   * The job queue's name (the event carries its ARN).
   * @default `<stage>-queue`, as `startHandlerStandIns` names the stages' queues
   */
  readonly jobQueue?: string;
}

/**
 * A "Batch Job State Change" EventBridge event in the shape of the sample in the AWS Batch user
 * guide ("AWS Batch events" → job state change event), for the job runner's job naming.
 */
export function batchJobStateChangeEvent(sample: BatchJobStateChangeSample) {
  const jobId = sample.jobId ?? '4c7599ae-0a82-49aa-ba5a-4727fcce14a8';
  const match = /^(.+)-(\d+)-(\d+)-a(\d+)$/.exec(sample.jobName);
  const [stage, start, end, attempt] = match === null ? ['x', '0', '1', '1'] : match.slice(1);
  const parameters = sample.parameters ?? {
    stage: stage!,
    groupId: `${stage}/${start}-${end}`,
    attempt: attempt!,
    inputKey: `jobs/${stage}/${start}-${end}/a${attempt}/input.json`,
    outputKey: `jobs/${stage}/${start}-${end}/a${attempt}/output.json`,
  };
  const terminal = sample.status === 'SUCCEEDED' || sample.status === 'FAILED';
  const container = {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/prover:latest',
    command: [],
    volumes: [],
    environment: [],
    mountPoints: [],
    ulimits: [],
    ...(terminal && sample.exitCode !== undefined ? { exitCode: sample.exitCode } : {}),
    ...(sample.containerReason === undefined ? {} : { reason: sample.containerReason }),
    networkInterfaces: [],
    resourceRequirements: [
      { value: '2', type: 'VCPU' },
      { value: '256', type: 'MEMORY' },
    ],
    secrets: [],
    logStreamName: `${stage}/default/${jobId.replaceAll('-', '')}`,
  };
  return {
    version: '0',
    id: 'c8f9c4b5-76e5-d76a-f980-7011e206042b',
    'detail-type': 'Batch Job State Change',
    source: 'aws.batch',
    account: '123456789012',
    time: '2022-01-11T23:36:40Z',
    region: 'us-east-1',
    resources: [`arn:aws:batch:us-east-1:123456789012:job/${jobId}`],
    detail: {
      jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}`,
      jobName: sample.jobName,
      jobId,
      jobQueue: `arn:aws:batch:us-east-1:123456789012:job-queue/${sample.jobQueue ?? `${stage}-queue`}`,
      status: sample.status,
      ...(sample.statusReason === undefined ? {} : { statusReason: sample.statusReason }),
      attempts: terminal
        ? [
            {
              container: {
                containerInstanceArn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/abc',
                taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/abc',
                ...(sample.exitCode === undefined ? {} : { exitCode: sample.exitCode }),
                logStreamName: container.logStreamName,
                networkInterfaces: [],
              },
              startedAt: 1641944205000,
              stoppedAt: 1641944300000,
              statusReason: sample.statusReason ?? 'Essential container in task exited',
            },
          ]
        : [],
      createdAt: 1641944200058,
      ...(terminal ? { startedAt: 1641944205000, stoppedAt: 1641944300000 } : {}),
      retryStrategy: { attempts: 2, evaluateOnExit: [] },
      dependsOn: [],
      jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/prover:1',
      parameters,
      container,
      tags: { resourceArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}` },
      propagateTags: false,
      platformCapabilities: [],
      eksAttempts: [],
    },
  };
}
