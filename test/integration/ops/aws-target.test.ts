import { join } from 'node:path';
import { DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENV } from '../../../lambdas/core/config/environment-names.js';
import { awsTarget } from '../../../ops/target/aws-target.js';
import { type OpsFixture, startOpsFixture } from './ops-fixture.js';

describe('the deployed-stack target (--config) against the local stand-ins', () => {
  let fixture: OpsFixture;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-aws');
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('names the on-demand-only job queue of each stage Batch has one for, so a retry after an infrastructure failure goes there', async () => {
    // Prepare: Batch knows range's on-demand queue, not aggregate's (a deployment without one there)
    fixture.batch.on(DescribeJobQueuesCommand).resolves({
      jobQueues: [
        {
          jobQueueName: 'ops-aws-range-on-demand',
          jobQueueArn: 'arn:aws:batch:eu-west-1:1:job-queue/ops-aws-range-on-demand',
          state: 'ENABLED',
          priority: 1,
          computeEnvironmentOrder: [],
        },
      ],
    });

    // Act
    const target = await awsTarget({
      configPath: join(fixture.stateDirectory, 'pipeline.json'),
      stateTable: 'ops-aws-state',
      artifactBucket: 'ops-aws-artifacts',
      env: process.env,
    });

    // Assess
    expect(JSON.parse(target.handlerEnvironment[HANDLER_ENV.batchJobTargets]!)).toEqual({
      range: {
        jobQueue: 'ops-aws-range',
        jobDefinition: 'ops-aws-range',
        onDemandJobQueue: 'ops-aws-range-on-demand',
      },
      aggregate: { jobQueue: 'ops-aws-aggregate', jobDefinition: 'ops-aws-aggregate' },
    });
    expect(fixture.batch.commandCalls(DescribeJobQueuesCommand).map((call) => call.args[0].input)).toEqual([
      { jobQueues: ['ops-aws-range-on-demand', 'ops-aws-aggregate-on-demand'] },
    ]);
  });
});
