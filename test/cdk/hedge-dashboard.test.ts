import { describe, expect, it } from 'vitest';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import { type Resource, useExampleStack } from './pipeline-stack-fixture.js';

describe('proof hedging on the dashboard of config/aws-example.json', () => {
  // Prepare: one synth for the file
  const { ofType } = useExampleStack({});

  it('draws hedges started, won and wasted per stage', () => {
    // Prepare
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Resource]];
    // Act
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    // Assess
    for (const stage of ['range', 'aggregate']) {
      expect(body).toContain(`Hedges: ${stage}`);
      for (const metric of [METRIC.hedgesStarted, METRIC.hedgesWon, METRIC.hedgesWasted])
        expect(body, `${metric} ${stage}`).toContain(
          `\\"${metric}\\",\\"service\\",\\"rollup-prover\\",\\"stage\\",\\"${stage}\\"`,
        );
    }
  });
});
