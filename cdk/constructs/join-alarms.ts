import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import type { PipelineMetrics } from './pipeline-metrics.js';
import type { AddAlarm } from './topic-alarms.js';

/**
 * One `ProverDisagreementAlarm-<stage>` per join stage, paging: two provers of one span claimed
 * different public values (or one returned an invalid result) under policy `all`, so the join halted
 * the span and nothing built on it reaches L1 until a person finds which prover is wrong.
 */
export function addJoinAlarms(
  alarm: AddAlarm,
  metrics: PipelineMetrics,
  joinStages: readonly string[],
): void {
  for (const stage of joinStages) {
    alarm(`ProverDisagreementAlarm-${stage}`, {
      alarmDescription: `Page: join stage "${stage}" halted a span because its provers disagree (or one returned an invalid result). Nothing built on the span reaches L1. Find the span and both claims with \`ops status\` / the group's stored reason (provers-disagree: <field> <prover>=<value> …), decide which prover is wrong before anything else is proposed`,
      metric: metrics.metric(METRIC.proverDisagreement, 'Sum', { stage }, 'disagreements'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
