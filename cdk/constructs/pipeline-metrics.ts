import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';
import { METRIC, METRIC_NAMESPACE, type MetricName } from '../../lambdas/core/ports/telemetry.js';

/** A topic's queue and its dead-letter queue. */
export interface MonitoredQueue {
  readonly topic: string;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

/** A stage as monitoring sees it: its name (the `stage` dimension) and what it proves. */
export interface MonitoredStage {
  readonly name: string;
  readonly program: ProgramName;
}

/**
 * The pipeline's custom metrics (namespace `METRIC_NAMESPACE`, dimension `service` = pipeline name,
 * five-minute periods) and the lag built from them, for alarms and the dashboard alike.
 */
export class PipelineMetrics {
  readonly pipelineName: string;
  /** L2 block time, to turn blocks (the submission interval) into time. */
  readonly l2BlockTimeSeconds: number;

  constructor(pipelineName: string, l2BlockTimeSeconds: number) {
    this.pipelineName = pipelineName;
    this.l2BlockTimeSeconds = l2BlockTimeSeconds;
  }

  /** One custom metric, with more dimensions (e.g. `stage`) and a label when given. */
  metric(name: MetricName, statistic: string, extra: Record<string, string> = {}, label?: string) {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: name,
      dimensionsMap: { service: this.pipelineName, ...extra },
      statistic,
      period: Duration.minutes(5),
      ...(label === undefined ? {} : { label }),
    });
  }

  /**
   * The proposer's lag: the L2 head at the configured finality minus the oracle's latest block,
   * reported by every proposer run that read the oracle (so it is missing only when the proposer
   * does not run or cannot read the oracle).
   */
  lagBlocks(): cloudwatch.Metric {
    return this.metric(METRIC.proposalLagBlocks, 'Maximum', {}, 'lag (blocks)');
  }

  /** The same lag in L2 time (the two blocks' timestamps), in minutes. */
  lagMinutes(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'lagSeconds / 60',
      usingMetrics: { lagSeconds: this.metric(METRIC.proposalLagSeconds, 'Maximum') },
      label: 'lag (minutes of L2 time)',
      period: Duration.minutes(5),
    });
  }

  /**
   * Every series of one metric split by one more dimension (e.g. `outcome`, `kind`, `target`), whatever
   * its values: a `SEARCH` expression, five-minute periods.
   */
  byDimension(
    name: MetricName,
    dimension: string,
    statistic: string,
    label: string,
  ): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRIC_NAMESPACE},${dimension},service} MetricName="${name}" service="${this.pipelineName}"', '${statistic}', 300)`,
      label,
      period: Duration.minutes(5),
    });
  }

  /** The proposer's signer balance (its minimum per period). */
  proposerBalance(): cloudwatch.Metric {
    return this.metric(METRIC.proposerBalanceEth, 'Minimum', {}, 'balance (ETH)');
  }

  /** Succeeded and failed jobs of a stage (sums per period). */
  jobOutcomes(stage: string): { succeeded: cloudwatch.Metric; failed: cloudwatch.Metric } {
    return {
      succeeded: this.metric(METRIC.jobSucceeded, 'Sum', { stage }, 'succeeded'),
      failed: this.metric(METRIC.jobFailed, 'Sum', { stage }, 'failed'),
    };
  }
}
