import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addAlarmTopic } from './alarm-topic.js';
import { type AlarmThresholds, addPipelineAlarms } from './pipeline-alarms.js';
import { addPipelineDashboard } from './pipeline-dashboard.js';
import { type MonitoredQueue, type MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';
import { addProposerKeyChangeRule } from './proposer-key-changes.js';

/** Thresholds with a default. */
type DefaultedThresholds = 'watcherMissedPeriods' | 'infrastructureFailuresPerHour';

export interface MonitoringProps extends Omit<AlarmThresholds, DefaultedThresholds> {
  /** Pipeline name: the `service` dimension of every custom metric (`POWERTOOLS_SERVICE_NAME`). */
  readonly pipelineName: string;
  readonly stages: readonly MonitoredStage[];
  /**
   * Join stages by name (no jobs, no job widgets: a `ProverDisagreement` alarm each).
   * @default none
   */
  readonly joinStages?: readonly string[];
  readonly queues: readonly MonitoredQueue[];
  /** Other dead-letter queues (e.g. undelivered job state events), by label. */
  readonly otherDeadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Every pipeline function, by name: errors and throttles are graphed and alarmed. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The proposer's signing key: changes to its policy, disabling or scheduled deletion are sent to the topic. */
  readonly proposerKey: kms.IKey;
  /**
   * Watcher runs' periods without an L2 head before the heartbeat alarm.
   * @default 3
   */
  readonly watcherMissedPeriods?: number;
  /**
   * Infrastructure failures of one stage in an hour that raise an alarm.
   * @default 5 (the failures in a row that open a stage's circuit breaker)
   */
  readonly infrastructureFailuresPerHour?: number;
  /**
   * L2 block time, to turn blocks (lag, submission interval) into time.
   * @default 2 (OP-stack default)
   */
  readonly l2BlockTimeSeconds?: number;
  /** @default - no subscription (subscribe to the topic by hand) */
  readonly alarmEmail?: string;
  /**
   * Age of a topic queue's oldest message that raises an alarm (the dispatcher should drain queues in seconds).
   * @default Duration.minutes(30)
   */
  readonly queueAgeAlarm?: Duration;
}

/**
 * The dashboard (L2 head vs enqueued vs proven vs proposed, lag, queues, dead letters, jobs per
 * stage, proposer balance and gas, function errors) and the alarms, sent to an encrypted SNS topic,
 * with the proposer key's changes (EventBridge rule). Topic, alarms, rule and dashboard are added
 * directly to this construct (ids `AlarmTopic`, `ProposalLagAlarm`, …, `ProposerKeyChanges`,
 * `Dashboard`).
 */
export class PipelineMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];
  readonly proposerKeyChanges: events.Rule;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const thresholds = thresholdsOf(props);
    for (const [field, value] of Object.entries(thresholds)) {
      if (!(value > 0))
        throw new Error(`${this.node.path}: ${field} got ${value}, expected a positive number`);
    }
    const metrics = new PipelineMetrics(props.pipelineName, props.l2BlockTimeSeconds ?? 2);
    const deadLetterQueues: Array<[string, sqs.IQueue]> = [
      ...props.queues.map((q): [string, sqs.IQueue] => [q.topic, q.deadLetterQueue]),
      ...Object.entries(props.otherDeadLetterQueues),
    ];

    const alarmTopic = addAlarmTopic(this, {
      pipelineName: props.pipelineName,
      ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
    });
    this.alarmTopic = alarmTopic.topic;
    this.alarms = addPipelineAlarms(this, {
      metrics,
      topic: this.alarmTopic,
      stages: props.stages,
      ...(props.joinStages === undefined ? {} : { joinStages: props.joinStages }),
      queues: props.queues,
      deadLetterQueues,
      functions: props.functions,
      ...thresholds,
      queueAge: props.queueAgeAlarm ?? Duration.minutes(30),
    });
    this.proposerKeyChanges = addProposerKeyChangeRule(this, props.proposerKey, alarmTopic);
    this.dashboard = addPipelineDashboard(this, {
      metrics,
      stages: props.stages,
      queues: props.queues,
      deadLetterQueues,
      functions: props.functions,
      alarms: this.alarms,
      lagAlarmBlocks: props.lagAlarmBlocks,
      proposerMinBalanceEth: props.proposerMinBalanceEth,
    });
  }
}

/** The alarm thresholds of the props (defaults filled in), each checked positive by the constructor. */
function thresholdsOf(props: MonitoringProps): AlarmThresholds {
  return {
    lagAlarmBlocks: props.lagAlarmBlocks,
    proposerMinBalanceEth: props.proposerMinBalanceEth,
    jobFailureRatePercent: props.jobFailureRatePercent,
    noProposalIntervals: props.noProposalIntervals,
    proposerScheduleSeconds: props.proposerScheduleSeconds,
    submissionInterval: props.submissionInterval,
    watcherScheduleMinutes: props.watcherScheduleMinutes,
    watcherMissedPeriods: props.watcherMissedPeriods ?? 3,
    infrastructureFailuresPerHour: props.infrastructureFailuresPerHour ?? 5,
  };
}
