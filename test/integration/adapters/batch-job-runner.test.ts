import { fileURLToPath } from 'node:url';
import { BatchClient, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BatchJobRunner, JobSubmitError } from '../../../lambdas/adapters/aws/batch-job-runner.js';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import type { JobSpec } from '../../../lambdas/core/ports/job-runner.js';

const awsConfig = loadPipelineConfig(
  fileURLToPath(new URL('../../../config/aws-example.json', import.meta.url)),
);
const rangeExecutor = provingStageNamed(awsConfig, 'range').executor;
const target = {
  jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/range',
  jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/range:3',
};
const spec: JobSpec = {
  name: 'range-100-130-a2',
  stage: 'range',
  groupId: 'range/100-130',
  attempt: 2,
  inputKey: 'jobs/range/100-130/a2/input.json',
  outputKey: 'jobs/range/100-130/a2/output.json',
  executor: rangeExecutor,
};

describe('BatchJobRunner (SDK mock)', () => {
  const client = new BatchClient({});
  const batch = mockClient(client);

  beforeEach(() => {
    batch.reset();
  });

  it('submits the deterministic job with env, parameters, resources, retry strategy and timeout', async () => {
    // Prepare
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    batch.on(SubmitJobCommand).resolves({ jobId: 'job-1', jobName: spec.name, jobArn: 'arn' });
    const runner = new BatchJobRunner({
      client,
      targets: { range: target },
      environment: { L2_RPC_URLS: 'http://l2' },
    });

    // Act
    const result = await runner.submit(spec);

    // Assess
    expect(result).toEqual({ jobId: 'job-1' });
    expect(batch.commandCalls(ListJobsCommand)[0]?.args[0].input).toEqual({
      jobQueue: target.jobQueue,
      filters: [{ name: 'JOB_NAME', values: ['range-100-130-a2'] }],
    });
    const input = batch.commandCalls(SubmitJobCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      jobName: 'range-100-130-a2',
      jobQueue: target.jobQueue,
      jobDefinition: target.jobDefinition,
      parameters: {
        stage: 'range',
        groupId: 'range/100-130',
        attempt: '2',
        inputKey: spec.inputKey,
        outputKey: spec.outputKey,
      },
      retryStrategy: {
        attempts: rangeExecutor.attempts,
        evaluateOnExit: [
          { onStatusReason: 'Host EC2*', action: 'RETRY' },
          { onStatusReason: 'CannotPullContainerError*', action: 'RETRY' },
          { onStatusReason: 'ResourceInitializationError*', action: 'RETRY' },
          { onStatusReason: 'CannotStartContainerError*', action: 'RETRY' },
          { onReason: '*', action: 'EXIT' },
        ],
      },
      timeout: { attemptDurationSeconds: rangeExecutor.timeoutSeconds + 60 },
    });
    expect(input?.containerOverrides?.resourceRequirements).toEqual([
      { type: 'VCPU', value: String(rangeExecutor.resources.vcpus) },
      { type: 'MEMORY', value: String(rangeExecutor.resources.memoryMiB) },
      { type: 'GPU', value: '1' },
    ]);
    const environment = Object.fromEntries(
      (input?.containerOverrides?.environment ?? []).map((e) => [e.name, e.value]),
    );
    expect(environment).toEqual({
      L2_RPC_URLS: 'http://l2',
      JOB_STAGE: 'range',
      JOB_GROUP_ID: 'range/100-130',
      JOB_ATTEMPT: '2',
      JOB_PROGRAM: 'range',
      JOB_INPUT_KEY: spec.inputKey,
      JOB_OUTPUT_KEY: spec.outputKey,
      JOB_TIMEOUT_SECONDS: String(rangeExecutor.timeoutSeconds),
      PROVER_COMMAND: JSON.stringify(rangeExecutor.command),
    });
  });

  it('returns the existing job instead of submitting a second run under the same name', async () => {
    // Prepare
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [{ jobId: 'job-earlier', jobName: spec.name, jobArn: 'arn', status: 'RUNNING' }],
    });
    const runner = new BatchJobRunner({ client, targets: { range: target } });

    // Act
    const result = await runner.submit(spec);

    // Assess
    expect(result).toEqual({ jobId: 'job-earlier' });
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
  });

  it('submits a claim written moments ago without looking its name up (claimedJustNow)', async () => {
    // Prepare
    batch.on(SubmitJobCommand).resolves({ jobId: 'job-1', jobName: spec.name, jobArn: 'arn' });
    const runner = new BatchJobRunner({ client, targets: { range: target } });

    // Act
    const result = await runner.submit({ ...spec, claimedJustNow: true });

    // Assess
    expect(result).toEqual({ jobId: 'job-1' });
    expect(batch.commandCalls(ListJobsCommand)).toHaveLength(0);
    expect(batch.commandCalls(SubmitJobCommand)[0]?.args[0].input.jobName).toBe(spec.name);
  });

  it('leaves PROVER_COMMAND unset for the mock backend and keeps the 60 s Batch minimum timeout', async () => {
    // Prepare
    batch.on(ListJobsCommand).resolves({});
    batch.on(SubmitJobCommand).resolves({ jobId: 'job-2', jobName: spec.name, jobArn: 'arn' });
    const runner = new BatchJobRunner({ client, targets: { range: target } });
    const mockExecutor = {
      ...rangeExecutor,
      backend: 'mock' as const,
      timeoutSeconds: 1,
      resources: { vcpus: 1, memoryMiB: 512, gpus: 0 },
    };

    // Act
    await runner.submit({ ...spec, executor: mockExecutor });

    // Assess
    const input = batch.commandCalls(SubmitJobCommand)[0]?.args[0].input;
    expect(input?.containerOverrides?.environment?.some((e) => e.name === 'PROVER_COMMAND')).toBe(false);
    expect(input?.containerOverrides?.resourceRequirements?.map((r) => r.type)).toEqual(['VCPU', 'MEMORY']);
    expect(input?.timeout).toEqual({ attemptDurationSeconds: 61 });
  });

  it('refuses a stage without a target and an invalid job name', async () => {
    // Prepare
    const runner = new BatchJobRunner({ client, targets: { range: target } });

    // Act / Assess
    await expect(runner.submit({ ...spec, stage: 'aggregate' })).rejects.toThrow(
      'no Batch job queue/definition for stage "aggregate"',
    );
    await expect(runner.submit({ ...spec, name: 'range/100-130' })).rejects.toBeInstanceOf(JobSubmitError);
    expect(batch.calls()).toHaveLength(0);
  });
});

const onDemandTarget = {
  jobQueue: 'rollup-prover-range',
  jobDefinition: 'rollup-prover-range',
  onDemandJobQueue: 'rollup-prover-range-on-demand',
};

describe('BatchJobRunner on-demand-only queue (SDK mock)', () => {
  const client = new BatchClient({});
  const batch = mockClient(client);
  const runner = new BatchJobRunner({ client, targets: { range: onDemandTarget } });

  beforeEach(() => {
    batch.reset();
    batch.on(SubmitJobCommand).resolves({ jobId: 'job-1', jobName: spec.name, jobArn: 'arn' });
  });

  it.each([
    { afterInfrastructureFailure: true, queue: onDemandTarget.onDemandJobQueue },
    { afterInfrastructureFailure: false, queue: onDemandTarget.jobQueue },
    { afterInfrastructureFailure: undefined, queue: onDemandTarget.jobQueue },
  ])(
    'submits an attempt with afterInfrastructureFailure $afterInfrastructureFailure to $queue',
    async ({ afterInfrastructureFailure, queue }) => {
      // Prepare
      batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
      const attempt =
        afterInfrastructureFailure === undefined ? spec : { ...spec, afterInfrastructureFailure };
      // Act
      await runner.submit(attempt);
      // Assess
      expect(batch.commandCalls(ListJobsCommand)[0]?.args[0].input.jobQueue).toBe(queue);
      const input = batch.commandCalls(SubmitJobCommand)[0]?.args[0].input;
      expect(input?.jobQueue).toBe(queue);
      expect(input?.jobDefinition).toBe(onDemandTarget.jobDefinition);
    },
  );

  it('submits a hedge (queue on-demand) of a first attempt to the on-demand-only queue', async () => {
    // Prepare
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    // Act
    await runner.submit({ ...spec, name: `${spec.name}-h`, queue: 'on-demand' });
    // Assess
    expect(batch.commandCalls(SubmitJobCommand)[0]?.args[0].input.jobQueue).toBe(
      onDemandTarget.onDemandJobQueue,
    );
  });

  it('submits to the main queue when the stage has no on-demand-only queue', async () => {
    // Prepare
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    const mainOnly = new BatchJobRunner({
      client,
      targets: { range: { jobQueue: onDemandTarget.jobQueue, jobDefinition: onDemandTarget.jobDefinition } },
    });
    // Act
    await mainOnly.submit({ ...spec, afterInfrastructureFailure: true });
    // Assess
    expect(batch.commandCalls(SubmitJobCommand)[0]?.args[0].input.jobQueue).toBe(onDemandTarget.jobQueue);
  });

  it('finds a job the main queue does not know in the on-demand-only queue', async () => {
    // Prepare
    batch.on(ListJobsCommand, { jobQueue: onDemandTarget.jobQueue }).resolves({ jobSummaryList: [] });
    batch.on(ListJobsCommand, { jobQueue: onDemandTarget.onDemandJobQueue }).resolves({
      jobSummaryList: [{ jobId: 'job-od', jobName: spec.name, status: 'SUCCEEDED', createdAt: 1 }],
    });
    // Act
    const state = await runner.state({ stage: 'range', name: spec.name });
    // Assess
    expect(state).toEqual({ state: 'succeeded' });
    expect(batch.commandCalls(ListJobsCommand).map((call) => call.args[0].input.jobQueue)).toEqual([
      onDemandTarget.jobQueue,
      onDemandTarget.onDemandJobQueue,
    ]);
  });
});
