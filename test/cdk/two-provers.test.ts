import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIds, type SynthesizedPipeline, synthPipeline } from './synth-pipeline.js';

describe('PipelineStack with config/aws-two-provers.json (two provers joined by a Match stage)', () => {
  let synth: SynthesizedPipeline;

  beforeAll(() => {
    // Prepare: the second config, same code; one synth for the file.
    synth = synthPipeline('config/aws-two-provers.json');
  });

  it('creates a queue and a dead-letter queue per topic, all consumed by the dispatcher', () => {
    const { template } = synth;
    for (const topic of ['blocks', 'proofs-a', 'proofs-b', 'agreed', 'aggregate-proofs']) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `two-provers-${topic}`,
        RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      });
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: `two-provers-${topic}-dlq` });
    }
    template.resourceCountIs('AWS::SQS::Queue', 11);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 5);
  });

  it('creates a job queue, a job definition and Spot + on-demand environments per stage', () => {
    const { template } = synth;
    template.resourceCountIs('AWS::Batch::JobQueue', 4);
    template.resourceCountIs('AWS::Batch::JobDefinition', 4);
    template.resourceCountIs('AWS::Batch::ComputeEnvironment', 8);
    for (const stage of ['range-a', 'range-b', 'join', 'aggregate']) {
      template.hasResourceProperties('AWS::Batch::JobDefinition', {
        JobDefinitionName: `two-provers-${stage}`,
      });
      template.hasResourceProperties('AWS::Batch::JobQueue', { JobQueueName: `two-provers-${stage}` });
    }
    const rangeA = logicalIds(template, 'AWS::Batch::ComputeEnvironment', (p) =>
      JSON.stringify(p).includes('"InstanceTypes":["g6e.2xlarge","g6e.4xlarge"]'),
    );
    expect(rangeA).toHaveLength(2);
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'two-provers-range-a',
      ContainerProperties: Match.objectLike({
        ResourceRequirements: Match.arrayWith([
          { Type: 'VCPU', Value: '8' },
          { Type: 'GPU', Value: '1' },
        ]),
      }),
    });
  });

  it('routes the job state events of all four job queues and alarms per stage', () => {
    const { template } = synth;
    const queues = logicalIds(template, 'AWS::Batch::JobQueue');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: Match.objectLike({ jobQueue: queues.map((id) => ({ 'Fn::GetAtt': [id, 'JobQueueArn'] })) }),
      }),
    });
    const failureRateAlarms = logicalIds(template, 'AWS::CloudWatch::Alarm', (p) =>
      JSON.stringify(p.Metrics ?? []).includes('JobFailed'),
    );
    expect(failureRateAlarms).toHaveLength(4);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('lets the proposer submit only the checkpointed aggregate stage', () => {
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes('ProposerFunctionRole'),
    );
    const doc = JSON.stringify(policies.map((p) => p.Properties.PolicyDocument));
    expect(doc).toContain('job-definition/two-provers-aggregate');
    expect(doc).not.toContain('two-provers-range-a');
    expect(doc).not.toContain('two-provers-join');
  });

  it('passes cdk-nag with no unacknowledged errors', () => {
    // The AwsSolutions plugin ran; the report lists a plugin only when it has (suppressed) findings.
    expect(synth.app.policyValidationBeta1.map((plugin) => plugin.name)).toContain('AwsSolutions');
    const nag = synth.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations.filter((v) => v.severity === 'error') ?? []).toEqual([]);
  });
});
