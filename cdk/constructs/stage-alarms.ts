import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import type { MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';
import type { AddAlarm } from './topic-alarms.js';

export interface StageAlarmsProps {
  readonly metrics: PipelineMetrics;
  readonly stages: readonly MonitoredStage[];
  readonly jobFailureRatePercent: number;
  /** Infrastructure failures of one stage in an hour that raise an alarm. */
  readonly infrastructureFailuresPerHour: number;
}

/**
 * Per stage (the `stage` dimension the orchestrator emits): an abandoned group, the hourly job
 * failure rate, infrastructure failures per hour, the circuit breaker open, a job RUNNABLE past
 * its timeout (the reconciler's named wait), and new jobs waiting for the day's budget (notify).
 */
export function addStageAlarms(alarm: AddAlarm, props: StageAlarmsProps): void {
  const { metrics } = props;
  const hourly = { period: Duration.hours(1) };
  for (const { name: stage } of props.stages) {
    alarm(`GroupAbandoned-${stage}`, {
      alarmDescription: `A ${stage} group was abandoned (attempts exhausted, input unbuildable, or a configuration error such as a prover command missing from the image): the proven head cannot pass it`,
      metric: metrics.metric(METRIC.groupAbandoned, 'Sum', { stage }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const { succeeded, failed } = metrics.jobOutcomes(stage);
    alarm(`JobFailureRate-${stage}`, {
      alarmDescription: `More than ${props.jobFailureRatePercent}% of ${stage} jobs failed in the last hour`,
      metric: new cloudwatch.MathExpression({
        expression: '100 * FILL(failed, 0) / (FILL(failed, 0) + FILL(succeeded, 0))',
        usingMetrics: { failed: failed.with(hourly), succeeded: succeeded.with(hourly) },
        label: 'failure rate (%)',
        period: Duration.hours(1),
      }),
      threshold: props.jobFailureRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm(`InfrastructureFailures-${stage}`, {
      alarmDescription: `${props.infrastructureFailuresPerHour} or more ${stage} jobs failed on infrastructure (image pull, staging, memory, RPC) in the last hour: check the job logs and the RPC endpoints`,
      metric: metrics.metric(METRIC.infrastructureFailures, 'Sum', { stage }).with(hourly),
      threshold: props.infrastructureFailuresPerHour,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm(`JobsRunnableTooLong-${stage}`, {
      alarmDescription: `A ${stage} job is still RUNNABLE past its timeout: Batch cannot place it (capacity, vCPU quota, instance types); the reason is on the group's job (waitReason)`,
      metric: metrics.metric(METRIC.jobsRunnableTooLong, 'Sum', { stage }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // The breaker emits its gauge only when it opens (1) and closes (0): between the two there is
    // no data, and IGNORE keeps the alarm in the state the last value put it in. Maximum is that
    // last value: a close comes at least the cool-down (10 min) after its open, never in its period.
    alarm(`CircuitBreakerOpen-${stage}`, {
      alarmDescription: `The ${stage} circuit breaker is open: infrastructure failures in a row hold new ${stage} jobs back until a probe job succeeds (item breaker/${stage})`,
      metric: metrics.metric(METRIC.breakerOpen, 'Maximum', { stage }, 'breaker open'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    // The cost guard reports 1 at every held-back start and 0 at every start it lets through (only
    // stages with `executor.budget` report at all); between starts the state holds (IGNORE).
    alarm(`BudgetWaiting-${stage}`, {
      alarmDescription: `Notify: today's (UTC) ${stage} budget is spent: new ${stage} jobs wait (in-flight ones finish, nothing is dropped) until the next UTC day or a raised executor.budget; the reason is on item budget/${stage}/<yyyy-mm-dd> (ops status)`,
      metric: metrics.metric(METRIC.budgetWaiting, 'Maximum', { stage }, 'budget waiting'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
  }
}
