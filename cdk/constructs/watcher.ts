import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';
import type { RpcEndpoints } from './rpc-endpoints.js';
import { grantStateAccess } from './state-access.js';

export interface WatcherProps {
  readonly function: Omit<PipelineFunctionProps, 'description' | 'timeout'>;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly state: PipelineState;
  /** The queue of the watcher's output topic (`blocks`). */
  readonly outputQueue: sqs.IQueue;
  readonly rpcEndpoints: RpcEndpoints;
  /**
   * @default the schedule period, at most 5 minutes (a late run overlaps the next one harmlessly:
   * the cursor advances with a conditional write)
   */
  readonly timeout?: Duration;
}

/**
 * The watcher: a scheduled function reading the L2 head, staging block data in the bucket and
 * enqueueing each new block once on its output topic.
 */
export class Watcher extends Construct {
  readonly function: PipelineFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: WatcherProps) {
    super(scope, id);
    if (!Number.isInteger(props.everyMinutes) || props.everyMinutes < 1) {
      throw new Error(
        `${this.node.path}: everyMinutes got ${props.everyMinutes}, expected a whole number ≥ 1`,
      );
    }
    this.function = new PipelineFunction(this, 'Function', {
      ...props.function,
      description: 'Watcher: enqueues new finalized L2 blocks',
      timeout: props.timeout ?? Duration.minutes(Math.min(props.everyMinutes, 5)),
    });
    grantStateAccess(this.function, props.state);
    props.outputQueue.grantSendMessages(this.function);
    props.rpcEndpoints.grantRead(this.function, ['l2']);
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the watcher',
      schedule: events.Schedule.rate(Duration.minutes(props.everyMinutes)),
      targets: [new targets.LambdaFunction(this.function.function, { retryAttempts: 0 })],
    });
  }
}
