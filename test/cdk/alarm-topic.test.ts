import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addAlarmTopic, allowPublishing } from '../../cdk/constructs/alarm-topic.js';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function alarmTopicStack(): { stack: Stack; alarmTopic: ReturnType<typeof addAlarmTopic> } {
  // Without CDK's built-in CloudFormation validation (its WASM engine takes seconds of CPU to load per
  // file): without a context flag it only warns, and these tests read the template, not its report.
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'AlarmTopicTest', {
    env: ENV,
  });
  return { stack, alarmTopic: addAlarmTopic(stack, { pipelineName: 'p' }) };
}

/** The statements of the one resource of `type` holding a policy under `policyField`. */
function statementsOf(template: Template, type: string, policyField: string): Array<Record<string, unknown>> {
  const [resource] = Object.values(template.findResources(type)) as Array<{
    Properties: Record<string, { Statement: Array<Record<string, unknown>> }>;
  }>;
  if (resource === undefined) throw new Error(`no ${type} in the template`);
  return resource.Properties[policyField]?.Statement ?? [];
}

const cloudWatchConditions = {
  StringEquals: { 'aws:SourceAccount': ENV.account },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:cloudwatch:${ENV.region}:${ENV.account}:alarm:AlarmTopicTest-*`,
        ],
      ],
    },
  },
};

describe('addAlarmTopic', () => {
  it("lets CloudWatch publish for this stack's alarms only, and keeps the TLS deny", () => {
    // Prepare / Act
    const { stack } = alarmTopicStack();
    // Assess
    const statements = statementsOf(Template.fromStack(stack), 'AWS::SNS::TopicPolicy', 'PolicyDocument');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: cloudWatchConditions,
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('lets CloudWatch use the topic key under the same conditions', () => {
    // Prepare / Act
    const { stack } = alarmTopicStack();
    // Assess
    const statements = statementsOf(Template.fromStack(stack), 'AWS::KMS::Key', 'KeyPolicy');
    const forCloudWatch = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    );
    expect(forCloudWatch).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: cloudWatchConditions,
      }),
    ]);
  });

  it('allows another service (EventBridge) to publish only for the given source', () => {
    // Prepare
    const { stack, alarmTopic } = alarmTopicStack();
    const ruleArn = `arn:aws:events:${ENV.region}:${ENV.account}:rule/some-rule`;
    // Act
    allowPublishing(alarmTopic, { service: 'events.amazonaws.com', sourceArn: ruleArn, sid: 'Rule' });
    // Assess
    const template = Template.fromStack(stack);
    const conditions = {
      StringEquals: { 'aws:SourceAccount': ENV.account },
      ArnLike: { 'aws:SourceArn': ruleArn },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RulePublish',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: conditions,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RuleUseKey',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: conditions,
          }),
        ]),
      },
    });
  });
});
