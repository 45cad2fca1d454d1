import { describe, expect, it } from 'vitest';
import { METRIC, METRIC_NAMESPACE } from '../../lambdas/core/ports/telemetry.js';
import { type Json, type Resource, useExampleStack } from './pipeline-stack-fixture.js';

describe('reorg alarms and dashboard of config/aws-example.json', () => {
  // Prepare: one synth for the file
  const { synth, ofType } = useExampleStack({});
  const alarmOf = (logicalIdPrefix: string): Json => {
    const found = ofType('AWS::CloudWatch::Alarm').filter(([id]) =>
      id.startsWith(`Monitoring${logicalIdPrefix}`),
    );
    expect(found.map(([id]) => id)).toHaveLength(1);
    return (found[0] as [string, Resource])[1].Properties;
  };
  /** The one metric of a labelled alarm (`Metrics` holds a single `MetricStat`). */
  const metricOf = (alarm: Json) => {
    const { MetricStat } = alarm.Metrics[0];
    return { ...MetricStat.Metric, Stat: MetricStat.Stat, Period: MetricStat.Period };
  };

  it('pages on a halt: ReorgHalted ≥ 1, its state kept between the gauges', () => {
    // Act
    const halted = alarmOf('ReorgHaltedAlarm');
    // Assess
    expect(halted).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
    });
    expect(halted.AlarmDescription).toMatch(/^Page: .*A person must act/);
    expect(metricOf(halted)).toMatchObject({
      Namespace: METRIC_NAMESPACE,
      MetricName: METRIC.reorgHalted,
      Dimensions: [
        { Name: 'chain', Value: 'l2' },
        { Name: 'service', Value: 'rollup-prover' },
      ],
      Stat: 'Maximum',
    });
  });

  it('notifies on reorgs per chain (dimension chain) and on re-proposals', () => {
    // Act
    const perChain = ['L1', 'L2'].map((name) => alarmOf(`${name}ReorgAlarm`));
    const reproposals = alarmOf('ReproposalAlarm');
    // Assess
    perChain.forEach((alarm, index) => {
      expect(alarm.AlarmDescription).toMatch(/^Notify: /);
      expect(alarm).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
      expect(metricOf(alarm)).toMatchObject({
        MetricName: METRIC.reorgsDetected,
        Dimensions: [
          { Name: 'chain', Value: ['l1', 'l2'][index] },
          { Name: 'service', Value: 'rollup-prover' },
        ],
        Stat: 'Sum',
      });
    });
    expect(reproposals.AlarmDescription).toMatch(/^Notify: /);
    expect(metricOf(reproposals)).toMatchObject({ MetricName: METRIC.reproposals, Stat: 'Sum' });
  });

  it('alarms on ReorgsDetected only per chain: no alarm on the metric without the chain dimension', () => {
    // Act
    const onReorgs = ofType('AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties)
      .filter((alarm) => JSON.stringify(alarm).includes(`"${METRIC.reorgsDetected}"`));
    // Assess
    expect(onReorgs).toHaveLength(2);
    for (const alarm of onReorgs)
      expect(metricOf(alarm).Dimensions.map((d: Json) => d.Name)).toEqual(['chain', 'service']);
  });

  it('draws reorgs per chain and their depth, work invalidated, re-proposals, pauses and halts', () => {
    // Prepare
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Resource]];
    // Act
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    // Assess
    for (const title of [
      'Reorgs seen per chain, and their depth (blocks)',
      'Work invalidated by reorgs, and re-proposals',
      'Paused and halted (1 = held back)',
    ])
      expect(body, title).toContain(title);
    for (const chain of ['l1', 'l2']) {
      expect(body).toContain(`\\"${METRIC.reorgsDetected}\\",\\"chain\\",\\"${chain}\\"`);
      expect(body).toContain(`\\"${METRIC.reorgDepthBlocks}\\",\\"chain\\",\\"${chain}\\"`);
    }
    expect(body).toContain(`MetricName=\\\\\\"${METRIC.reorgWorkInvalidated}\\\\\\"`);
    expect(body).toContain(`{${METRIC_NAMESPACE},kind,service}`);
    expect(body).toContain(`{${METRIC_NAMESPACE},target,service} MetricName=\\\\\\"${METRIC.paused}\\\\\\"`);
    expect(body).toContain(`\\"${METRIC.reproposals}\\"`);
    expect(body).toContain(`\\"${METRIC.reorgHalted}\\"`);
    expect(synth().stack.monitoring.dashboard.node.id).toBe('Dashboard');
  });
});
