import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { JOB_QUEUE_BLOCKED_DETAIL_TYPE } from '../../cdk/constructs/job-queue-blocked-alert.js';
import { type Json, type Resource, useExampleStack } from './pipeline-stack-fixture.js';
import {
  type SynthesizedPipeline,
  spotExampleConfig,
  synthPipeline,
  writeConfigVariant,
} from './synth-pipeline.js';

const CANCEL_REASONS = [
  'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE',
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
];

function ofType(synth: SynthesizedPipeline, type: string): Array<[string, Resource]> {
  return Object.entries(synth.template.findResources(type)) as Array<[string, Resource]>;
}

/** The compute environment types of a job queue, in its order. */
function environmentTypes(all: Record<string, Resource>, queue: Resource): string[] {
  const order = queue.Properties.ComputeEnvironmentOrder as Array<{
    Order: number;
    ComputeEnvironment: { 'Fn::GetAtt': [string, string] };
  }>;
  return [...order]
    .sort((a, b) => a.Order - b.Order)
    .map((entry) => all[entry.ComputeEnvironment['Fn::GetAtt'][0]]?.Properties.ComputeResources.Type);
}

describe('Batch capacity of config/aws-example.json on Spot with the on-demand fallback', () => {
  // Prepare: one synth for the whole describe.
  const example = useExampleStack({}, spotExampleConfig());

  it('cancels a job RUNNABLE for 1800 s (the default) for each capacity or misconfiguration reason, on every queue', () => {
    // Act
    const queues = example.ofType('AWS::Batch::JobQueue');
    // Assess
    expect(queues).toHaveLength(4);
    for (const [, queue] of queues) {
      expect(queue.Properties.JobStateTimeLimitActions).toEqual(
        CANCEL_REASONS.map((Reason) => ({
          Action: 'CANCEL',
          MaxTimeSeconds: 1800,
          Reason,
          State: 'RUNNABLE',
        })),
      );
    }
  });

  it('gives each stage an on-demand-only queue over its on-demand environment', () => {
    // Act
    const onDemand = example
      .ofType('AWS::Batch::JobQueue')
      .filter(([, queue]) => String(queue.Properties.JobQueueName).endsWith('-on-demand'));
    // Assess
    expect(onDemand.map(([, queue]) => queue.Properties.JobQueueName).sort()).toEqual([
      'rollup-prover-aggregate-on-demand',
      'rollup-prover-range-on-demand',
    ]);
    for (const [, queue] of onDemand) expect(environmentTypes(example.resources(), queue)).toEqual(['EC2']);
  });

  it('names each stage on-demand-only queue in the job targets of the functions', () => {
    // Act
    const targets = example
      .ofType('AWS::Lambda::Function')
      .map(([, fn]) => fn.Properties.Environment?.Variables?.BATCH_JOB_TARGETS as string | undefined)
      .filter((value): value is string => value !== undefined)
      .map((value) => JSON.parse(value));
    // Assess
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target).toEqual({
        range: {
          jobQueue: 'rollup-prover-range',
          jobDefinition: 'rollup-prover-range',
          onDemandJobQueue: 'rollup-prover-range-on-demand',
        },
        aggregate: {
          jobQueue: 'rollup-prover-aggregate',
          jobDefinition: 'rollup-prover-aggregate',
          onDemandJobQueue: 'rollup-prover-aggregate-on-demand',
        },
      });
    }
  });

  it('lets the dispatcher submit to the on-demand-only queues', () => {
    // Act
    const onDemandIds = example
      .ofType('AWS::Batch::JobQueue')
      .filter(([, queue]) => String(queue.Properties.JobQueueName).endsWith('-on-demand'))
      .map(([id]) => id);
    const submitStatements = example
      .ofType('AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Action === 'batch:SubmitJob');
    // Assess
    expect(submitStatements.length).toBeGreaterThan(0);
    for (const id of onDemandIds) {
      expect(submitStatements.some((statement) => JSON.stringify(statement.Resource).includes(id))).toBe(
        true,
      );
    }
  });

  it('lets compute-environment updates wait for running attempts (the stage timeout + 1 min + 10) instead of terminating them', () => {
    // Act
    const environments = example.ofType('AWS::Batch::ComputeEnvironment');
    // Assess: the range stage's two at 3600 s (61 + 10 min), the aggregate's two at 7200 s (121 + 10).
    expect(environments).toHaveLength(4);
    for (const [, environment] of environments) {
      expect(environment.Properties.UpdatePolicy.TerminateJobsOnUpdate).toBe(false);
    }
    expect(environments.map(([, e]) => e.Properties.UpdatePolicy.JobExecutionTimeoutMinutes).sort()).toEqual([
      131, 131, 71, 71,
    ]);
  });

  it('splits aws.maxVcpus 256 equally over the four compute environments', () => {
    // Act
    const maxVcpus = example
      .ofType('AWS::Batch::ComputeEnvironment')
      .map(([, environment]) => environment.Properties.ComputeResources.MaxvCpus as number);
    // Assess
    expect(maxVcpus).toEqual([64, 64, 64, 64]);
    expect(maxVcpus.reduce((a, b) => a + b, 0)).toBe(256);
  });

  it('routes Batch "Job Queue Blocked" events of our queues to the alarm topic, with its key', () => {
    // Prepare
    const { template } = example.synth();
    const queueRefs = example
      .ofType('AWS::Batch::JobQueue')
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'JobQueueArn'] }));
    const [[topicId]] = example.ofType('AWS::SNS::Topic') as [[string, Resource]];
    // Act
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { 'detail-type': [JOB_QUEUE_BLOCKED_DETAIL_TYPE] } },
    });
    // Assess
    expect(JOB_QUEUE_BLOCKED_DETAIL_TYPE).toBe('Batch Job Queue Blocked');
    const [[, rule]] = Object.entries(rules) as [[string, Json]];
    expect(rule.Properties.Name).toBe('rollup-prover-job-queue-blocked');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.batch'],
      'detail-type': ['Batch Job Queue Blocked'],
      detail: { jobQueue: expect.arrayContaining(queueRefs) },
    });
    expect(rule.Properties.EventPattern.detail.jobQueue).toHaveLength(4);
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: {
              ArnEquals: {
                'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/rollup-prover-job-queue-blocked',
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('Batch capacity settings', () => {
  it('takes the RUNNABLE time limit from aws.runnableTimeLimitSeconds', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.runnableTimeLimitSeconds = 900;
    });
    // Act
    const synth = synthPipeline(config);
    // Assess
    for (const [, queue] of ofType(synth, 'AWS::Batch::JobQueue')) {
      expect(
        (queue.Properties.JobStateTimeLimitActions as Json[]).map((action) => action.MaxTimeSeconds),
      ).toEqual([900, 900, 900]);
    }
  });

  it('splits aws.maxVcpus over two on-demand environments and builds no extra queue without Spot', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.spot = false;
      raw.aws.maxVcpus = 256;
    });
    // Act
    const synth = synthPipeline(config);
    // Assess
    const environments = ofType(synth, 'AWS::Batch::ComputeEnvironment');
    expect(environments.map(([, e]) => e.Properties.ComputeResources.MaxvCpus)).toEqual([128, 128]);
    expect(environments.map(([, e]) => e.Properties.ComputeResources.Type)).toEqual(['EC2', 'EC2']);
    expect(ofType(synth, 'AWS::Batch::JobQueue')).toHaveLength(2);
  });

  it('sets the update timeout from the stage timeout (10800 s prover → 181 + 10 min)', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.stages[0].executor.timeoutSeconds = 10_800;
      raw.aws.spot = true;
    });
    // Act
    const synth = synthPipeline(config);
    // Assess
    const timeouts = ofType(synth, 'AWS::Batch::ComputeEnvironment').map(
      ([, e]) => e.Properties.UpdatePolicy.JobExecutionTimeoutMinutes,
    );
    expect(timeouts.sort()).toEqual([131, 131, 191, 191]);
  });

  it('refuses a RUNNABLE time limit Batch does not accept, naming the field', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.runnableTimeLimitSeconds = 60;
    });
    // Act + Assess
    expect(() => synthPipeline(config)).toThrow(/aws\.runnableTimeLimitSeconds: .*at least 600/);
  });
});
