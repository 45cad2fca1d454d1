import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import type { PipelineMetrics } from './pipeline-metrics.js';
import type { AddAlarm } from './topic-alarms.js';

/** The chains a reorg is counted for (the `chain` dimension of `ReorgsDetected` and `ReorgDepthBlocks`). */
export const REORG_CHAINS = ['l1', 'l2'] as const;

/**
 * The reorg alarms: `ReorgHaltedAlarm` pages (the pipeline halted proposals itself; it will not go on
 * until a person acts), `L1ReorgAlarm` / `L2ReorgAlarm` and `ReproposalAlarm` notify (the pipeline
 * repairs those by itself; many of them say the L1 or L2 node, or the configured depths, need a look).
 */
export function addReorgAlarms(alarm: AddAlarm, metrics: PipelineMetrics): void {
  alarm('ReorgHaltedAlarm', {
    alarmDescription:
      'Page: the pipeline halted proposals because a reorg went deeper than it repairs by itself (an L2 reorg below the proposed head, or a changed finalized L2 block). A person must act: compare the oracle outputs with the L2 node, find the halt reason in the logs, fix the node or the outputs, then resume the proposer (`ops resume proposer`)',
    // A gauge the watcher reports while it halts (1) and once it goes on (0): the state holds between
    // reports. Only the L2 side halts by itself (an L1 reorg is always repaired: new checkpoint, re-proof).
    metric: metrics.metric(METRIC.reorgHalted, 'Maximum', { chain: 'l2' }, 'halted'),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
  });
  for (const chain of REORG_CHAINS) {
    const name = chain.toUpperCase();
    alarm(`${name}ReorgAlarm`, {
      alarmDescription: `Notify: the pipeline saw an ${name} reorg and rewinds the work built on the replaced blocks by itself. Frequent or deep ones: check the ${name} node (and, for ${chain === 'l1' ? 'L1, the checkpoint and l1Head depths' : 'L2, the followed finality'})`,
      metric: metrics.metric(METRIC.reorgsDetected, 'Sum', { chain }, `${name} reorgs`),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
  alarm('ReproposalAlarm', {
    alarmDescription:
      'Notify: a proposal transaction left the canonical L1 chain (reorged out) and the proposer sent the output again',
    metric: metrics.metric(METRIC.reproposals, 'Sum', {}, 're-proposals'),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
