import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import { dashboardNameOf } from '../deploy/dashboard-name.js';
import type { MonitoredQueue, MonitoredStage, PipelineMetrics } from './pipeline-metrics.js';
import { REORG_CHAINS } from './reorg-alarms.js';

export interface PipelineDashboardProps {
  readonly metrics: PipelineMetrics;
  readonly stages: readonly MonitoredStage[];
  readonly queues: readonly MonitoredQueue[];
  /** Every dead-letter queue (the topics' and others), by label. */
  readonly deadLetterQueues: ReadonlyArray<readonly [string, sqs.IQueue]>;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The alarms, shown in an alarm status widget at the bottom. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Drawn as the alarm line on the lag graph. */
  readonly lagAlarmBlocks: number;
  /** Drawn as the alarm line on the balance graph. */
  readonly proposerMinBalanceEth: number;
}

/**
 * Adds the dashboard (id `Dashboard` under `scope`, named after the pipeline): L2 head vs enqueued
 * vs proven vs proposed, lag, queues, dead letters, jobs and hedges per stage, proposer balance and gas,
 * duplicate deliveries, reorgs (per chain, depth, work invalidated, re-proposals, pauses and halts),
 * function errors and throttles, and the alarms' status.
 */
export function addPipelineDashboard(scope: Construct, props: PipelineDashboardProps): cloudwatch.Dashboard {
  const { metrics } = props;
  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: dashboardNameOf(metrics.pipelineName, Stack.of(scope).region),
    defaultInterval: Duration.hours(6),
    widgets: [
      progressRow(props),
      queueRow(props),
      props.stages.map((stage) => jobWidget(metrics, stage.name)),
      props.stages.map((stage) => hedgeWidget(metrics, stage.name)),
      proposerRow(props),
      reorgRow(metrics),
      functionRow(props.functions),
      [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 })],
    ],
  });
}

function progressRow({ metrics, stages, lagAlarmBlocks }: PipelineDashboardProps): cloudwatch.IWidget[] {
  const heads = [
    metrics.metric(METRIC.l2Head, 'Maximum', {}, 'L2 head'),
    metrics.metric(METRIC.enqueuedHead, 'Maximum', {}, 'enqueued'),
    ...stages
      .filter((stage) => stage.program === 'range')
      .map((stage) =>
        metrics.metric(METRIC.provenHead, 'Maximum', { stage: stage.name }, `proven (${stage.name})`),
      ),
    ...stages
      .filter((stage) => stage.program === 'aggregate')
      .map((stage) =>
        metrics.metric(METRIC.aggregatedHead, 'Maximum', { stage: stage.name }, `aggregated (${stage.name})`),
      ),
    metrics.metric(METRIC.proposedHead, 'Maximum', {}, 'proposed'),
  ];
  return [
    new cloudwatch.GraphWidget({
      title: 'L2 head vs enqueued vs proven vs proposed (block)',
      left: heads,
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Proposal lag',
      left: [metrics.lagBlocks()],
      right: [metrics.lagMinutes()],
      leftAnnotations: [{ value: lagAlarmBlocks, label: 'alarm', color: cloudwatch.Color.RED }],
      width: 12,
    }),
  ];
}

function queueRow({ queues, deadLetterQueues }: PipelineDashboardProps): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Queue depth (visible messages)',
      left: queues.map(({ topic, queue }) =>
        queue.metricApproximateNumberOfMessagesVisible({ label: topic, statistic: 'Maximum' }),
      ),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Age of oldest message (s)',
      left: queues.map(({ topic, queue }) =>
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
  ];
}

function jobWidget(metrics: PipelineMetrics, stage: string): cloudwatch.IWidget {
  const { succeeded, failed } = metrics.jobOutcomes(stage);
  return new cloudwatch.GraphWidget({
    title: `Jobs: ${stage}`,
    left: [succeeded, failed, metrics.metric(METRIC.groupAbandoned, 'Sum', { stage }, 'abandoned')],
    right: [
      metrics.metric(METRIC.jobDurationSeconds, 'Average', { stage }, 'duration avg (s)'),
      metrics.metric(METRIC.jobDurationSeconds, 'p90', { stage }, 'duration p90 (s)'),
    ],
    width: 12,
  });
}

/** Proof hedging of a stage (`executor.hedge`; all zero without it): hedges started and won, GPU time the losers ran. */
function hedgeWidget(metrics: PipelineMetrics, stage: string): cloudwatch.IWidget {
  return new cloudwatch.GraphWidget({
    title: `Hedges: ${stage}`,
    left: [
      metrics.metric(METRIC.hedgesStarted, 'Sum', { stage }, 'hedges started'),
      metrics.metric(METRIC.hedgesWon, 'Sum', { stage }, 'hedges won'),
    ],
    right: [metrics.metric(METRIC.hedgesWasted, 'Sum', { stage }, 'GPU-seconds wasted by losers')],
    width: 12,
  });
}

function proposerRow({ metrics, proposerMinBalanceEth }: PipelineDashboardProps): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Proposer balance (ETH)',
      left: [metrics.proposerBalance()],
      leftAnnotations: [{ value: proposerMinBalanceEth, label: 'alarm', color: cloudwatch.Color.RED }],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Proposals and gas per proposal',
      left: [metrics.byDimension(METRIC.proposals, 'outcome', 'Sum', 'proposals by outcome')],
      right: [metrics.metric(METRIC.proposalGasUsed, 'Average', {}, 'gas per proposal')],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Duplicate deliveries',
      left: [metrics.byDimension(METRIC.duplicateDeliveries, 'topic', 'Sum', 'duplicates')],
      width: 8,
    }),
  ];
}

function reorgRow(metrics: PipelineMetrics): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Reorgs seen per chain, and their depth (blocks)',
      left: REORG_CHAINS.map((chain) =>
        metrics.metric(METRIC.reorgsDetected, 'Sum', { chain }, `${chain.toUpperCase()} reorgs`),
      ),
      right: REORG_CHAINS.map((chain) =>
        metrics.metric(METRIC.reorgDepthBlocks, 'Maximum', { chain }, `${chain.toUpperCase()} depth (max)`),
      ),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Work invalidated by reorgs, and re-proposals',
      left: [metrics.byDimension(METRIC.reorgWorkInvalidated, 'kind', 'Sum', 'invalidated by kind')],
      right: [metrics.metric(METRIC.reproposals, 'Sum', {}, 're-proposals')],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Paused and halted (1 = held back)',
      left: [
        metrics.byDimension(METRIC.paused, 'target', 'Maximum', 'paused'),
        metrics.metric(METRIC.reorgHalted, 'Maximum', { chain: 'l2' }, 'halted by an L2 reorg'),
      ],
      leftYAxis: { min: 0, max: 1 },
      width: 8,
    }),
  ];
}

function functionRow(functions: Readonly<Record<string, lambda.IFunction>>): cloudwatch.IWidget[] {
  const entries = Object.entries(functions);
  return [
    new cloudwatch.GraphWidget({
      title: 'Function errors',
      left: entries.map(([name, fn]) => fn.metricErrors({ label: name, statistic: 'Sum' })),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Function throttles',
      left: entries.map(([name, fn]) => fn.metricThrottles({ label: name, statistic: 'Sum' })),
      width: 12,
    }),
  ];
}
