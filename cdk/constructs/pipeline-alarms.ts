import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import { addFunctionAlarms } from './function-alarms.js';
import { addJoinAlarms } from './join-alarms.js';
import type { MonitoredQueue, MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';
import { addReorgAlarms } from './reorg-alarms.js';
import { addStageAlarms } from './stage-alarms.js';
import { type AddAlarm, periodCovering, topicAlarms } from './topic-alarms.js';

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
  /** Minutes between watcher runs (its schedule). */
  readonly watcherScheduleMinutes: number;
  /** Watcher heartbeat periods without an L2 head before the alarm. */
  readonly watcherMissedPeriods: number;
  /** Infrastructure failures of one stage in an hour that raise an alarm. */
  readonly infrastructureFailuresPerHour: number;
}

export interface PipelineAlarmsProps extends AlarmThresholds {
  readonly metrics: PipelineMetrics;
  /** Where every alarm sends its ALARM and OK notifications. */
  readonly topic: sns.ITopic;
  readonly stages: readonly MonitoredStage[];
  /**
   * The join stages (no jobs: only their `ProverDisagreement` is alarmed).
   * @default none
   */
  readonly joinStages?: readonly string[];
  readonly queues: readonly MonitoredQueue[];
  /** Every dead-letter queue (the topics' and others), by label. */
  readonly deadLetterQueues: ReadonlyArray<readonly [string, sqs.IQueue]>;
  /** Age of a topic queue's oldest message that raises an alarm. */
  readonly queueAge: Duration;
  /** The pipeline's functions, by name, for their errors and throttles. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
}

/** CloudWatch alarms accept periods up to one day (period × evaluation periods ≤ 1 day). */
const MAX_ALARM_PERIOD_SECONDS = 86_400;

/**
 * Adds the pipeline's alarms to `scope` (their ids stay directly under it): proposal lag, no
 * proposal, proposer balance, proposer waiting on a person, watcher heartbeat, reorgs (halted: page;
 * L1 and L2 reorgs and re-proposals: notify), prover disagreement per join stage (page), dead letters, queue age, per stage (abandoned groups, job failure rate, infrastructure failures,
 * circuit breaker) and per function (errors, throttles). Each notifies the topic on ALARM and OK.
 * Returns them in that order.
 */
export function addPipelineAlarms(scope: Construct, props: PipelineAlarmsProps): cloudwatch.Alarm[] {
  const { alarm, alarms } = topicAlarms(scope, props.topic);
  addProgressAlarms(alarm, props);
  addReorgAlarms(alarm, props.metrics);
  addJoinAlarms(alarm, props.metrics, props.joinStages ?? []);
  addQueueAlarms(alarm, props);
  addStageAlarms(alarm, props);
  addFunctionAlarms(alarm, props.functions);
  return alarms;
}

/** Lag, proposals, balance, and the conditions that stop progress until an operator acts. */
function addProgressAlarms(alarm: AddAlarm, props: PipelineAlarmsProps): void {
  const { metrics } = props;
  // Every proposer run reports the lag: no data means the proposer is not running or cannot read
  // the oracle, which is as bad as a lag, so missing data breaches.
  const proposerPeriod = Duration.seconds(periodCovering(props.proposerScheduleSeconds));
  alarm('ProposalLagAlarm', {
    alarmDescription: `L2 head more than ${props.lagAlarmBlocks} blocks ahead of the oracle's latest block, or the proposer reported no lag (not running, or cannot read the oracle)`,
    metric: metrics.lagBlocks().with({ period: proposerPeriod }),
    threshold: props.lagAlarmBlocks,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm('ProposerWaitingAlarm', {
    alarmDescription:
      'The proposer cannot propose until a person acts (signer not approved, oracle config missing, oracle in optimistic mode): read item proposer-wait/<signer>',
    metric: metrics.metric(METRIC.proposerWaiting, 'Maximum').with({ period: proposerPeriod }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const watcherPeriod = Duration.seconds(periodCovering(props.watcherScheduleMinutes * 60));
  alarm('WatcherHeartbeatAlarm', {
    alarmDescription: `The watcher reported no L2 head for ${props.watcherMissedPeriods} periods of ${watcherPeriod.toMinutes()} minutes: it is not running or cannot read L2`,
    metric: metrics.metric(METRIC.l2Head, 'SampleCount').with({ period: watcherPeriod }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: props.watcherMissedPeriods,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
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
