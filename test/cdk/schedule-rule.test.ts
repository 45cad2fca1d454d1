import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { scheduleRule } from '../../cdk/constructs/schedule-rule.js';

function stackWithFunction(): { stack: Stack; fn: lambda.Function; scope: Construct } {
  // Without CDK's built-in CloudFormation validation (its WASM engine takes seconds of CPU to load per
  // file): without a context flag it only warns, and these tests read the template, not its report.
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'ScheduleTest');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  return { stack, fn, scope: new Construct(stack, 'Scheduled') };
}

describe('scheduleRule', () => {
  it('invokes the function every N minutes without EventBridge retries', () => {
    // Prepare
    const { stack, fn, scope } = stackWithFunction();
    // Act
    const rule = scheduleRule(scope, { everyMinutes: 5, description: 'Runs it', target: fn });
    // Assess
    expect(rule.node.path).toBe('ScheduleTest/Scheduled/Schedule');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'Runs it',
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  it("gives the function's asynchronous invocations no Lambda retries and a one-period event age", () => {
    // Prepare
    const { stack, fn, scope } = stackWithFunction();
    // Act
    scheduleRule(scope, { everyMinutes: 5, description: 'Runs it', target: fn });
    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
  });

  it('caps the event age at the six hours Lambda allows', () => {
    // Prepare
    const { stack, fn, scope } = stackWithFunction();
    // Act
    scheduleRule(scope, { everyMinutes: 24 * 60, description: 'Daily', target: fn });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  it.each([0, 1.5, -1])('refuses everyMinutes %s, naming the construct', (everyMinutes) => {
    const { fn, scope } = stackWithFunction();
    expect(() => scheduleRule(scope, { everyMinutes, description: 'x', target: fn })).toThrow(
      `ScheduleTest/Scheduled: everyMinutes got ${everyMinutes}, expected a whole number ≥ 1`,
    );
  });
});
