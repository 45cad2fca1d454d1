import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIX } from '../../lambdas/core/messages/blob-keys.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';
import type { ProvingCluster } from './proving-cluster.js';
import type { RpcEndpoints } from './rpc-endpoints.js';
import { assertScheduleMinutes, scheduleRule } from './schedule-rule.js';
import { grantStateAccess } from './state-access.js';

export interface WatcherProps {
  readonly function: Omit<PipelineFunctionProps, 'description' | 'timeout'>;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly state: PipelineState;
  /** The queue of the watcher's output topic (`blocks`). */
  readonly outputQueue: sqs.IQueue;
  readonly rpcEndpoints: RpcEndpoints;
  readonly cluster: ProvingCluster;
  /**
   * Stages whose jobs the watcher may submit: its collector run flushes groups past `maxWaitSeconds`
   * and re-submits stalled claims, like the dispatcher (all Batch stages).
   */
  readonly batchStages: readonly string[];
  /**
   * The stages' output queues: the scheduled sweeps complete jobs whose completion event never
   * arrived (`reconcileRunningGroups`), which publishes their results as the job-state function does.
   */
  readonly resultQueues: readonly sqs.IQueue[];
  /**
   * @default the schedule period, at most 5 minutes (a late run overlaps the next one harmlessly:
   * the cursor advances with a conditional write)
   */
  readonly timeout?: Duration;
}

/**
 * The watcher: a scheduled function reading the L2 head and enqueueing each new block once on its
 * output topic (advancing its cursor per chunk, stopping at a deadline inside its timeout); it then runs the collectors and the recovery
 * sweeps (time-based flushes, stalled claims, lost completion events), so it may submit jobs as the
 * dispatcher does and publish results as the job-state function does.
 */
export class Watcher extends Construct {
  readonly function: PipelineFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: WatcherProps) {
    super(scope, id);
    assertScheduleMinutes(this, props.everyMinutes);
    this.function = new PipelineFunction(this, 'Function', {
      ...props.function,
      description: 'Watcher: enqueues new finalized L2 blocks',
      timeout: props.timeout ?? Duration.minutes(Math.min(props.everyMinutes, 5)),
    });
    // As the dispatcher and the job-state function together (collectors, sweeps completing jobs).
    const artifacts = [ARTIFACT_PREFIX.jobs, ARTIFACT_PREFIX.payloads];
    grantStateAccess(this.function, props.state, { reads: artifacts, writes: artifacts });
    props.outputQueue.grantSendMessages(this.function);
    for (const queue of props.resultQueues) queue.grantSendMessages(this.function);
    props.rpcEndpoints.grantRead(this.function, ['l2']);
    props.cluster.grantSubmit(this.function, props.batchStages);
    this.schedule = scheduleRule(this, {
      everyMinutes: props.everyMinutes,
      description: 'Runs the watcher',
      target: this.function.function,
    });
  }
}
