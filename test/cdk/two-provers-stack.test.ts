import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import { type SynthesizedPipeline, synthPipeline } from './synth-pipeline.js';

describe('config/aws-two-provers.json: two range provers joined before the aggregate', () => {
  // Prepare: one synth for the file (cdk-nag runs in it: synth throws on an unacknowledged finding)
  let synthesized: SynthesizedPipeline;
  beforeAll(() => {
    synthesized = synthPipeline('config/aws-two-provers.json');
  });

  it('builds Batch job queues for the proving stages only, none for the join stage', () => {
    // Act
    const queues = Object.values(synthesized.template.findResources('AWS::Batch::JobQueue'));
    const names = queues.map((q) => JSON.stringify(q.Properties?.JobQueueName ?? q.Properties));
    // Assess
    expect(names.some((n) => n.includes('-sp1'))).toBe(true);
    expect(names.some((n) => n.includes('-alt'))).toBe(true);
    expect(names.some((n) => /-range"|-range-on-demand"/.test(n))).toBe(false);
  });

  it('pages on a prover disagreement of the join stage', () => {
    // Assess
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^Page: join stage "range" halted a span'),
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: METRIC.proverDisagreement,
              Dimensions: Match.arrayWith([{ Name: 'stage', Value: 'range' }]),
            }),
          }),
        }),
      ]),
    });
  });

  it.each([
    ['JoinMemberUnreadable', METRIC.joinMemberUnreadable, 3, '^Join stage "range" cannot read a member'],
    [
      'JoinResultInvalid',
      METRIC.joinResultInvalid,
      1,
      '^Join stage "range" \\(policy first\\) got an invalid',
    ],
  ])('tells a person when the join stage counts %s', (_name, metricName, periods, description) => {
    // Assess: an alarm on the join stage's metric, after the given number of breaching periods
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp(description),
      EvaluationPeriods: periods,
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: metricName,
              Dimensions: Match.arrayWith([{ Name: 'stage', Value: 'range' }]),
            }),
          }),
        }),
      ]),
    });
  });
});
