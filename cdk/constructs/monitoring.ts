import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRIC_NAMESPACE, type MetricName } from '../../lambdas/core/ports/telemetry.js';

export interface MonitoredQueue {
  readonly topic: string;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

export interface MonitoringProps {
  /** Pipeline name: the `service` dimension of every custom metric (`POWERTOOLS_SERVICE_NAME`). */
  readonly pipelineName: string;
  readonly stages: readonly { readonly name: string; readonly program: 'range' | 'aggregate' }[];
  readonly queues: readonly MonitoredQueue[];
  /** Other dead-letter queues (e.g. undelivered job state events), by label. */
  readonly otherDeadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly lagAlarmBlocks: number;
  readonly proposerMinBalanceEth: number;
  readonly jobFailureRatePercent: number;
  /** Proposal windows without a proposal before the alarm (`monitoring.noProposalIntervals`). */
  readonly noProposalIntervals: number;
  readonly proposerScheduleSeconds: number;
  /** Blocks between proposals (`proposer.submissionInterval`). */
  readonly submissionInterval: number;
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

/** CloudWatch alarms accept periods up to one day (period × evaluation periods ≤ 1 day). */
const MAX_ALARM_PERIOD_SECONDS = 86_400;

/**
 * The dashboard (L2 head vs enqueued vs proven vs proposed, lag, queues, dead letters, jobs per
 * stage, proposer balance and gas, function errors) and the alarms, sent to an encrypted SNS topic.
 */
export class PipelineMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    for (const [field, value] of [
      ['lagAlarmBlocks', props.lagAlarmBlocks],
      ['proposerMinBalanceEth', props.proposerMinBalanceEth],
      ['jobFailureRatePercent', props.jobFailureRatePercent],
      ['noProposalIntervals', props.noProposalIntervals],
      ['proposerScheduleSeconds', props.proposerScheduleSeconds],
      ['submissionInterval', props.submissionInterval],
    ] as const) {
      if (!(value > 0))
        throw new Error(`${this.node.path}: ${field} got ${value}, expected a positive number`);
    }
    const metric = (
      name: MetricName,
      statistic: string,
      extra: Record<string, string> = {},
      label?: string,
    ) =>
      new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: props.pipelineName, ...extra },
        statistic,
        period: Duration.minutes(5),
        ...(label === undefined ? {} : { label }),
      });

    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `${props.pipelineName}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic with this key.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${props.pipelineName} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      created.addOkAction(new actions.SnsAction(this.alarmTopic));
      this.alarms.push(created);
      return created;
    };

    // Heads and lag.
    const rangeStages = props.stages.filter((stage) => stage.program === 'range');
    const aggregateStages = props.stages.filter((stage) => stage.program === 'aggregate');
    const heads = [
      metric(METRIC.l2Head, 'Maximum', {}, 'L2 head'),
      metric(METRIC.enqueuedHead, 'Maximum', {}, 'enqueued'),
      ...rangeStages.map((stage) =>
        metric(METRIC.provenHead, 'Maximum', { stage: stage.name }, `proven (${stage.name})`),
      ),
      ...aggregateStages.map((stage) =>
        metric(METRIC.aggregatedHead, 'Maximum', { stage: stage.name }, `aggregated (${stage.name})`),
      ),
      metric(METRIC.proposedHead, 'Maximum', {}, 'proposed'),
    ];
    // Lag from the two heads the watcher and the proposer report; the proposed head only moves on a
    // proposal, so its last value is carried forward.
    const l2BlockTimeSeconds = props.l2BlockTimeSeconds ?? 2;
    const lagBlocks = new cloudwatch.MathExpression({
      expression: 'head - FILL(proposed, REPEAT)',
      usingMetrics: {
        head: metric(METRIC.l2Head, 'Maximum'),
        proposed: metric(METRIC.proposedHead, 'Maximum'),
      },
      label: 'lag (blocks)',
      period: Duration.minutes(5),
    });
    const lagMinutes = new cloudwatch.MathExpression({
      expression: `lag * ${l2BlockTimeSeconds} / 60`,
      usingMetrics: { lag: lagBlocks },
      label: `lag (minutes, at ${l2BlockTimeSeconds} s per L2 block)`,
      period: Duration.minutes(5),
    });
    alarm('ProposalLagAlarm', {
      alarmDescription: `L2 head more than ${props.lagAlarmBlocks} blocks ahead of the last proposed block`,
      metric: lagBlocks,
      threshold: props.lagAlarmBlocks,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Proposals: expected once per max(schedule, submission interval in time); alarm after N windows.
    const expectedGapSeconds = Math.max(
      props.proposerScheduleSeconds,
      props.submissionInterval * l2BlockTimeSeconds,
    );
    const windowSeconds = Math.min(
      MAX_ALARM_PERIOD_SECONDS,
      Math.ceil((props.noProposalIntervals * expectedGapSeconds) / 60) * 60,
    );
    alarm('NoProposalAlarm', {
      alarmDescription: `No proposal in ${windowSeconds / 60} minutes (${props.noProposalIntervals} × the expected gap between proposals)`,
      metric: metric(METRIC.proposals, 'Sum', { outcome: 'proposed' }).with({
        period: Duration.seconds(windowSeconds),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const balance = metric(METRIC.proposerBalanceEth, 'Minimum', {}, 'balance (ETH)');
    alarm('ProposerBalanceAlarm', {
      alarmDescription: `Proposer balance below ${props.proposerMinBalanceEth} ETH: fund the signer address`,
      metric: balance,
      threshold: props.proposerMinBalanceEth,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Conditions that stop progress until an operator acts.
    alarm('L2ReorgAlarm', {
      alarmDescription:
        'The watcher saw an L2 block whose parent hash differs from the block it enqueued: it stopped enqueueing. Check the L2 node and its finality setting',
      metric: metric(METRIC.reorgsDetected, 'Sum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const stage of props.stages) {
      alarm(`GroupAbandoned-${stage.name}`, {
        alarmDescription: `A ${stage.name} group was abandoned (attempts exhausted or input unbuildable): the proven head cannot pass it`,
        metric: metric(METRIC.groupAbandoned, 'Sum', { stage: stage.name }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // Queues and dead letters.
    const deadLetterQueues: Array<[string, sqs.IQueue]> = [
      ...props.queues.map((q): [string, sqs.IQueue] => [q.topic, q.deadLetterQueue]),
      ...Object.entries(props.otherDeadLetterQueues),
    ];
    for (const [label, queue] of deadLetterQueues) {
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
    const queueAge = props.queueAgeAlarm ?? Duration.minutes(30);
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

    // Jobs per stage.
    const jobWidgets: cloudwatch.IWidget[] = [];
    for (const stage of props.stages) {
      const succeeded = metric(METRIC.jobSucceeded, 'Sum', { stage: stage.name }, 'succeeded');
      const failed = metric(METRIC.jobFailed, 'Sum', { stage: stage.name }, 'failed');
      const hourly = { period: Duration.hours(1) };
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
      jobWidgets.push(
        new cloudwatch.GraphWidget({
          title: `Jobs: ${stage.name}`,
          left: [succeeded, failed, metric(METRIC.groupAbandoned, 'Sum', { stage: stage.name }, 'abandoned')],
          right: [
            metric(METRIC.jobDurationSeconds, 'Average', { stage: stage.name }, 'duration avg (s)'),
            metric(METRIC.jobDurationSeconds, 'p90', { stage: stage.name }, 'duration p90 (s)'),
          ],
          width: 12,
        }),
      );
    }

    const functions = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.pipelineName,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'L2 head vs enqueued vs proven vs proposed (block)',
            left: heads,
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Proposal lag',
            left: [lagBlocks],
            right: [lagMinutes],
            leftAnnotations: [{ value: props.lagAlarmBlocks, label: 'alarm', color: cloudwatch.Color.RED }],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Queue depth (visible messages)',
            left: props.queues.map(({ topic, queue }) =>
              queue.metricApproximateNumberOfMessagesVisible({ label: topic, statistic: 'Maximum' }),
            ),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Age of oldest message (s)',
            left: props.queues.map(({ topic, queue }) =>
              queue.metricApproximateAgeOfOldestMessage({ label: topic, statistic: 'Maximum' }),
            ),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queue depth',
            left: deadLetterQueues.map(([label, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ label, statistic: 'Maximum' }),
            ),
            width: 8,
          }),
        ],
        jobWidgets,
        [
          new cloudwatch.GraphWidget({
            title: 'Proposer balance (ETH)',
            left: [balance],
            leftAnnotations: [
              { value: props.proposerMinBalanceEth, label: 'alarm', color: cloudwatch.Color.RED },
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Proposals and gas per proposal',
            left: [
              new cloudwatch.MathExpression({
                expression: `SEARCH('{${METRIC_NAMESPACE},outcome,service} MetricName="${METRIC.proposals}" service="${props.pipelineName}"', 'Sum', 300)`,
                label: 'proposals by outcome',
                period: Duration.minutes(5),
              }),
            ],
            right: [metric(METRIC.proposalGasUsed, 'Average', {}, 'gas per proposal')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Duplicate deliveries',
            left: [
              new cloudwatch.MathExpression({
                expression: `SEARCH('{${METRIC_NAMESPACE},service,topic} MetricName="${METRIC.duplicateDeliveries}" service="${props.pipelineName}"', 'Sum', 300)`,
                label: 'duplicates',
                period: Duration.minutes(5),
              }),
            ],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            left: functions.map(([name, fn]) => fn.metricErrors({ label: name, statistic: 'Sum' })),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Function throttles',
            left: functions.map(([name, fn]) => fn.metricThrottles({ label: name, statistic: 'Sum' })),
            width: 12,
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}
