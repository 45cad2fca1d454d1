import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import type { MonitoredQueue, MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';

/** The configured alarm thresholds (`monitoring.*`) and the proposer settings they depend on. */
export interface AlarmThresholds {
  readonly lagAlarmBlocks: number;
  readonly proposerMinBalanceEth: number;
  readonly jobFailureRatePercent: number;
  /** Proposal windows without a proposal before the alarm (`monitoring.noProposalIntervals`). */
  readonly noProposalIntervals: number;
  readonly proposerScheduleSeconds: number;
  /** Blocks between proposals (`proposer.submissionInterval`). */
  readonly submissionInterval: number;
}

export interface PipelineAlarmsProps extends AlarmThresholds {
  readonly metrics: PipelineMetrics;
  /** Where every alarm sends its ALARM and OK notifications. */
  readonly topic: sns.ITopic;
  readonly stages: readonly MonitoredStage[];
  readonly queues: readonly MonitoredQueue[];
  /** Every dead-letter queue (the topics' and others), by label. */
  readonly deadLetterQueues: ReadonlyArray<readonly [string, sqs.IQueue]>;
  /** Age of a topic queue's oldest message that raises an alarm. */
  readonly queueAge: Duration;
}

/** CloudWatch alarms accept periods up to one day (period × evaluation periods ≤ 1 day). */
const MAX_ALARM_PERIOD_SECONDS = 86_400;

type AddAlarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => void;

/**
 * Adds the pipeline's alarms to `scope` (their ids stay directly under it): proposal lag, no
 * proposal, proposer balance, L2 reorg, abandoned groups, dead letters, queue age and job failure
 * rate per stage. Each notifies the topic on ALARM and OK. Returns them in that order.
 */
export function addPipelineAlarms(scope: Construct, props: PipelineAlarmsProps): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const alarm: AddAlarm = (alarmId, alarmProps) => {
    const created = new cloudwatch.Alarm(scope, alarmId, alarmProps);
    created.addAlarmAction(new actions.SnsAction(props.topic));
    created.addOkAction(new actions.SnsAction(props.topic));
    alarms.push(created);
  };
  addProgressAlarms(alarm, props);
  addQueueAlarms(alarm, props);
  addJobAlarms(alarm, props);
  return alarms;
}

/** Lag, proposals, balance, and the conditions that stop progress until an operator acts. */
function addProgressAlarms(alarm: AddAlarm, props: PipelineAlarmsProps): void {
  const { metrics } = props;
  alarm('ProposalLagAlarm', {
    alarmDescription: `L2 head more than ${props.lagAlarmBlocks} blocks ahead of the last proposed block`,
    metric: metrics.lagBlocks(),
    threshold: props.lagAlarmBlocks,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  // Proposals: expected once per max(schedule, submission interval in time); alarm after N windows.
  const expectedGapSeconds = Math.max(
    props.proposerScheduleSeconds,
    props.submissionInterval * metrics.l2BlockTimeSeconds,
  );
  const windowSeconds = Math.min(
    MAX_ALARM_PERIOD_SECONDS,
    Math.ceil((props.noProposalIntervals * expectedGapSeconds) / 60) * 60,
  );
  alarm('NoProposalAlarm', {
    alarmDescription: `No proposal in ${windowSeconds / 60} minutes (${props.noProposalIntervals} × the expected gap between proposals)`,
    metric: metrics.metric(METRIC.proposals, 'Sum', { outcome: 'proposed' }).with({
      period: Duration.seconds(windowSeconds),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm('ProposerBalanceAlarm', {
    alarmDescription: `Proposer balance below ${props.proposerMinBalanceEth} ETH: fund the signer address`,
    metric: metrics.proposerBalance(),
    threshold: props.proposerMinBalanceEth,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  alarm('L2ReorgAlarm', {
    alarmDescription:
      'The watcher saw an L2 block whose parent hash differs from the block it enqueued: it stopped enqueueing. Check the L2 node and its finality setting',
    metric: metrics.metric(METRIC.reorgsDetected, 'Sum'),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  for (const stage of props.stages) {
    alarm(`GroupAbandoned-${stage.name}`, {
      alarmDescription: `A ${stage.name} group was abandoned (attempts exhausted or input unbuildable): the proven head cannot pass it`,
      metric: metrics.metric(METRIC.groupAbandoned, 'Sum', { stage: stage.name }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** Non-empty dead-letter queues and topic queues whose oldest message waits too long. */
function addQueueAlarms(alarm: AddAlarm, props: PipelineAlarmsProps): void {
  for (const [label, queue] of props.deadLetterQueues) {
    alarm(`DeadLetters-${label}`, {
      alarmDescription: `Dead-letter queue of ${label} is not empty: inspect and redrive the messages`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
  const { queueAge } = props;
  for (const { topic, queue } of props.queues) {
    alarm(`QueueAge-${topic}`, {
      alarmDescription: `Oldest message of topic ${topic} waited more than ${queueAge.toMinutes()} minutes: is the dispatcher failing?`,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: queueAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The hourly job failure rate of each stage. */
function addJobAlarms(alarm: AddAlarm, props: PipelineAlarmsProps): void {
  const hourly = { period: Duration.hours(1) };
  for (const stage of props.stages) {
    const { succeeded, failed } = props.metrics.jobOutcomes(stage.name);
    alarm(`JobFailureRate-${stage.name}`, {
      alarmDescription: `More than ${props.jobFailureRatePercent}% of ${stage.name} jobs failed in the last hour`,
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
  }
}
