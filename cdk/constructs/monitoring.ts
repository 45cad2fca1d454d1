import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addAlarmTopic } from './alarm-topic.js';
import { type AlarmThresholds, addPipelineAlarms } from './pipeline-alarms.js';
import { addPipelineDashboard } from './pipeline-dashboard.js';
import { type MonitoredQueue, type MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';

export interface MonitoringProps extends AlarmThresholds {
  /** Pipeline name: the `service` dimension of every custom metric (`POWERTOOLS_SERVICE_NAME`). */
  readonly pipelineName: string;
  readonly stages: readonly MonitoredStage[];
  readonly queues: readonly MonitoredQueue[];
  /** Other dead-letter queues (e.g. undelivered job state events), by label. */
  readonly otherDeadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
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
 * stage, proposer balance and gas, function errors) and the alarms, sent to an encrypted SNS topic.
 * Topic, alarms and dashboard are added directly to this construct (ids `AlarmTopic`,
 * `ProposalLagAlarm`, …, `Dashboard`).
 */
export class PipelineMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    for (const [field, value] of Object.entries(thresholdsOf(props))) {
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
      queues: props.queues,
      deadLetterQueues,
      ...thresholdsOf(props),
      queueAge: props.queueAgeAlarm ?? Duration.minutes(30),
    });
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

/** The alarm thresholds of the props, each checked positive by the constructor. */
function thresholdsOf(props: AlarmThresholds): AlarmThresholds {
  return {
    lagAlarmBlocks: props.lagAlarmBlocks,
    proposerMinBalanceEth: props.proposerMinBalanceEth,
    jobFailureRatePercent: props.jobFailureRatePercent,
    noProposalIntervals: props.noProposalIntervals,
    proposerScheduleSeconds: props.proposerScheduleSeconds,
    submissionInterval: props.submissionInterval,
  };
}
