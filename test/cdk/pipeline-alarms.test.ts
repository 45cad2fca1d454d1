import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { PipelineMonitoring } from '../../cdk/constructs/monitoring.js';
import { PROPOSER_KEY_CHANGES } from '../../cdk/constructs/proposer-key-changes.js';
import { periodCovering } from '../../cdk/constructs/topic-alarms.js';
import { METRIC, METRIC_NAMESPACE } from '../../lambdas/core/ports/telemetry.js';
import { type Json, type Resource, useExampleStack } from './pipeline-stack-fixture.js';

describe('pipeline alarms of config/aws-example.json', () => {
  // Prepare: one synth for the file
  const { synth, ofType, functionId } = useExampleStack({});
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([id, a]) => ({ id, ...a.Properties }) as Json);
  /** Alarms on one metric, a labelled metric (rendered as a one-metric `Metrics` list) flattened. */
  const byMetric = (name: string) =>
    alarms()
      .map((a) => {
        const stat = a.Metrics?.length === 1 ? a.Metrics[0].MetricStat : undefined;
        if (stat === undefined) return a;
        const { MetricName, Namespace, Dimensions } = stat.Metric;
        return { ...a, MetricName, Namespace, Dimensions, Period: stat.Period, Statistic: stat.Stat };
      })
      .filter((a) => a.MetricName === name);
  const topicId = () => (ofType('AWS::SNS::Topic')[0] as [string, Resource])[0];

  it('sends every alarm and its return to OK to the alarm topic', () => {
    // Act
    const all = alarms();
    // Assess
    expect(all.length).toBeGreaterThan(20);
    for (const alarm of all) {
      expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topicId() }]);
      expect(alarm.OKActions, alarm.id).toEqual([{ Ref: topicId() }]);
    }
  });

  it('alarms on the lag the proposer reports each run, missing data breaching', () => {
    // Act
    const lag = byMetric(METRIC.proposalLagBlocks);
    // Assess: the proposer runs every 300 s, so each 5-minute period has a report
    expect(lag).toEqual([
      expect.objectContaining({
        Namespace: METRIC_NAMESPACE,
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 5400,
        TreatMissingData: 'breaching',
      }),
    ]);
  });

  it('alarms when the watcher reports no L2 head for three of its periods', () => {
    // Act
    const [heartbeat, ...others] = byMetric(METRIC.l2Head);
    // Assess
    expect(others).toEqual([]);
    expect(heartbeat).toMatchObject({
      Statistic: 'SampleCount',
      Period: 300,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on errors and throttles of each function', () => {
    // Prepare
    const functions = [
      'Watcher/Function',
      'Orchestrator/Dispatcher',
      'Orchestrator/JobState',
      'Proposer/Function',
    ];
    for (const metricName of ['Errors', 'Throttles']) {
      // Act
      const found = byMetric(metricName).filter((a) => a.Namespace === 'AWS/Lambda');
      // Assess
      expect(found.map((a) => a.Dimensions[0].Value.Ref).sort()).toEqual(functions.map(functionId).sort());
      for (const alarm of found)
        expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    }
  });

  it('alarms per stage on an open circuit breaker (state kept between its gauges) and on infrastructure failures', () => {
    // Act
    const breakers = byMetric(METRIC.breakerOpen);
    const infrastructure = byMetric(METRIC.infrastructureFailures);
    // Assess
    const stages = (found: Json[]) =>
      found.map((a) => a.Dimensions.find((d: Json) => d.Name === 'stage').Value).sort();
    expect(stages(breakers)).toEqual(['aggregate', 'range']);
    expect(stages(infrastructure)).toEqual(['aggregate', 'range']);
    for (const alarm of breakers) expect(alarm).toMatchObject({ Threshold: 1, TreatMissingData: 'ignore' });
    for (const alarm of infrastructure) expect(alarm).toMatchObject({ Period: 3600, Threshold: 5 });
  });

  it('notifies per stage while new jobs wait for the day budget (state kept between the guard gauges)', () => {
    // Act
    const waiting = byMetric(METRIC.budgetWaiting);
    // Assess
    const stages = waiting.map((a) => a.Dimensions.find((d: Json) => d.Name === 'stage').Value).sort();
    expect(stages).toEqual(['aggregate', 'range']);
    for (const alarm of waiting) {
      expect(alarm).toMatchObject({ Statistic: 'Maximum', Threshold: 1, TreatMissingData: 'ignore' });
      expect(alarm.AlarmDescription).toMatch(/^Notify: today's \(UTC\) \w+ budget is spent/);
    }
  });

  it('alarms per stage on a job RUNNABLE past its timeout (the reconciler counts each sweep)', () => {
    // Act
    const runnable = byMetric(METRIC.jobsRunnableTooLong);
    // Assess
    const stages = runnable.map((a) => a.Dimensions.find((d: Json) => d.Name === 'stage').Value).sort();
    expect(stages).toEqual(['aggregate', 'range']);
    for (const alarm of runnable)
      expect(alarm).toMatchObject({ Statistic: 'Sum', Threshold: 1, TreatMissingData: 'notBreaching' });
  });

  it('alarms while the proposer waits on a person', () => {
    // Act
    const waiting = byMetric(METRIC.proposerWaiting);
    // Assess
    expect(waiting).toEqual([
      expect.objectContaining({
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
  });

  it("sends the proposer key's policy changes, disabling and scheduled deletion to the topic", () => {
    // Prepare
    const [[keyId]] = ofType('AWS::KMS::Key').filter(
      ([, k]) => k.Properties.KeySpec === 'ECC_SECG_P256K1',
    ) as [[string, Resource]];
    // Act
    const [rule, ...others] = ofType('AWS::Events::Rule').filter(([, r]) =>
      r.Properties.EventPattern?.source?.includes('aws.kms'),
    );
    // Assess
    expect(others).toEqual([]);
    const { Properties: props } = (rule as [string, Resource])[1];
    expect(props.EventPattern).toEqual({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: [...PROPOSER_KEY_CHANGES],
        resources: { ARN: [{ 'Fn::GetAtt': [keyId, 'Arn'] }] },
      },
    });
    expect(props.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId() } })]);
    expect(JSON.stringify(props.Targets[0].InputTransformer)).toContain('$.detail.userIdentity.arn');
    const topicPolicy = JSON.stringify(ofType('AWS::SNS::TopicPolicy')[0]?.[1].Properties);
    expect(topicPolicy).toContain('events.amazonaws.com');
    expect(topicPolicy).toContain(`:rule/${props.Name}`);
    expect(synth().stack.monitoring.proposerKeyChanges.node.id).toBe('ProposerKeyChanges');
  });
});

describe('alarm periods and thresholds', () => {
  it.each([
    [60, 300],
    [300, 300],
    [900, 900],
    [301, 360],
  ])('covers a schedule of %s s with a period of %s s', (seconds, period) => {
    expect(periodCovering(seconds)).toBe(period);
  });

  it('refuses a threshold that is not positive, naming it', () => {
    // Prepare
    const stack = new Stack(new App(), 'MonitoringTest');
    const props = {
      pipelineName: 'p',
      stages: [],
      queues: [],
      otherDeadLetterQueues: {},
      functions: {},
      proposerKey: new kms.Key(stack, 'Key'),
      lagAlarmBlocks: 10,
      proposerMinBalanceEth: 1,
      jobFailureRatePercent: 20,
      noProposalIntervals: 3,
      proposerScheduleSeconds: 300,
      submissionInterval: 10,
      watcherScheduleMinutes: 1,
      infrastructureFailuresPerHour: 0,
    };
    // Act / Assess
    expect(() => new PipelineMonitoring(stack, 'Monitoring', props)).toThrow(
      'MonitoringTest/Monitoring: infrastructureFailuresPerHour got 0, expected a positive number',
    );
  });
});
