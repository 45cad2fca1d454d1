import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import type { PipelineMetrics } from './pipeline-metrics.js';
import type { AddAlarm } from './topic-alarms.js';

/** Five-minute periods a join's unreadable member may last before a person is told (transient S3 errors pass). */
const UNREADABLE_PERIODS = 3;

/**
 * Per join stage:
 * - `ProverDisagreementAlarm-<stage>`, paging: two provers of one span claimed different public
 *   values (or one returned an invalid result) under policy `all`, so the join halted the span and
 *   nothing built on it reaches L1 until a person finds which prover is wrong;
 * - `JoinMemberUnreadableAlarm-<stage>`: a member's result has been unreadable for 15 minutes (its
 *   blob gone or not JSON); the join retries on every run, but only a person can restore the blob
 *   or re-prove the member (`ops group retry` of the producing group);
 * - `JoinResultInvalidAlarm-<stage>`: under policy `first` a prover returned an invalid result; the
 *   join waits for another prover's, but that prover has a bug a person must look at.
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
    alarm(`JoinMemberUnreadableAlarm-${stage}`, {
      alarmDescription: `Join stage "${stage}" cannot read a member's result for ${UNREADABLE_PERIODS * 5} minutes (its blob is gone or not JSON): the span waits, retried on every run. Find the group in the logs (join-member-unreadable: …), restore the blob or re-prove the member with \`ops group retry <producing group>\``,
      metric: metrics.metric(METRIC.joinMemberUnreadable, 'Sum', { stage }, 'unreadable'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: UNREADABLE_PERIODS,
      datapointsToAlarm: UNREADABLE_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm(`JoinResultInvalidAlarm-${stage}`, {
      alarmDescription: `Join stage "${stage}" (policy first) got an invalid result from a prover (prover-result-invalid: … on the join group): the span waits for another prover's result, but the prover that sent it has a bug to look at`,
      metric: metrics.metric(METRIC.joinResultInvalid, 'Sum', { stage }, 'invalid results'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
