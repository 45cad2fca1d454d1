import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIX } from '../../lambdas/core/messages/blob-keys.js';
import type { MessageBus } from './message-bus.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';
import type { ProvingCluster } from './proving-cluster.js';
import { grantStateAccess } from './state-access.js';

const ALL_ARTIFACTS = [ARTIFACT_PREFIX.jobs, ARTIFACT_PREFIX.payloads];

type SharedFunctionProps = Omit<PipelineFunctionProps, 'description' | 'timeout' | 'entry'>;

export interface OrchestratorProps {
  readonly dispatcher: SharedFunctionProps & { readonly entry: string };
  readonly jobState: SharedFunctionProps & { readonly entry: string };
  /** Must match the bus's consumer timeout (queue visibility is six times it). */
  readonly dispatcherTimeout: Duration;
  readonly state: PipelineState;
  readonly bus: MessageBus;
  readonly cluster: ProvingCluster;
  /** Topics the dispatcher consumes: every stage input and every topic only the proposer reads. */
  readonly consumedTopics: readonly string[];
  /** Topics the job-state function publishes finished jobs' results on: every stage's output topic. */
  readonly publishedTopics: readonly string[];
  /** Stages whose jobs the dispatcher and job-state functions submit (all Batch stages). */
  readonly batchStages: readonly string[];
  /**
   * SQS messages per dispatcher invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Concurrent dispatcher invocations per consumed queue (`maximumConcurrency` of each SQS event
   * source, 2…1000); the dispatcher's total is this times the number of consumed topics.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /** @default Duration.seconds(60) */
  readonly jobStateTimeout?: Duration;
}

/**
 * The orchestrator: the dispatcher (SQS event sources on the consumed topics, partial batch
 * failures reported per message) records messages and starts group jobs; the job-state function
 * (EventBridge "Batch Job State Change" of this app's job queues, SUCCEEDED or FAILED) applies job
 * outcomes and publishes the next topic's messages. Lost job events land in a dead-letter queue.
 */
export class Orchestrator extends Construct {
  readonly dispatcher: PipelineFunction;
  readonly jobState: PipelineFunction;
  readonly jobStateRule: events.Rule;
  /** Job state events that could not be delivered or failed after Lambda's retries. */
  readonly jobStateDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    super(scope, id);
    const batchSize = props.batchSize ?? 10;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new Error(`${this.node.path}: batchSize got ${batchSize}, expected a whole number in 1…10000`);
    }
    const maxConcurrency = props.maxConcurrency ?? 5;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(
        `${this.node.path}: maxConcurrency got ${maxConcurrency}, expected a whole number in 2…1000 (SQS event source limits)`,
      );
    }
    if (props.consumedTopics.length === 0) {
      throw new Error(
        `${this.node.path}: consumedTopics got none, expected at least the watcher's output topic`,
      );
    }

    this.dispatcher = new PipelineFunction(this, 'Dispatcher', {
      ...props.dispatcher,
      description: 'Dispatcher: records topic messages, forms groups, starts jobs',
      timeout: props.dispatcherTimeout,
    });
    // Member payloads in; job inputs out.
    grantStateAccess(this.dispatcher, props.state, {
      reads: [ARTIFACT_PREFIX.payloads],
      writes: [ARTIFACT_PREFIX.jobs],
    });
    for (const topic of props.consumedTopics) {
      this.dispatcher.function.addEventSource(
        new SqsEventSource(props.bus.topic(topic).queue, {
          batchSize,
          // Waits up to 1 s to fill a batch: the dispatcher records a batch and runs the collectors once for it.
          // The local run's event sources batch the same (devnet/stand-ins/sqs-event-source-defaults.ts).
          maxBatchingWindow: Duration.seconds(1),
          maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }
    // The dispatcher records and submits; it never publishes (finishJob runs in the job-state
    // function and, for lost completion events, in the watcher's scheduled sweeps).
    props.cluster.grantSubmit(this.dispatcher, props.batchStages);

    this.jobStateDeadLetterQueue = new sqs.Queue(this, 'JobStateDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.jobStateDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: of the job-state rule target and of the function's failed asynchronous invocations (cdk-nag only recognizes SQS redrive DLQs).",
    });
    this.jobState = new PipelineFunction(this, 'JobState', {
      ...props.jobState,
      description: 'Job state: applies Batch job outcomes, publishes results, retries or bisects',
      timeout: props.jobStateTimeout ?? Duration.seconds(60),
    });
    this.jobState.function.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(this.jobStateDeadLetterQueue),
    });
    // Job outputs and failure documents, member payloads in; retried jobs' inputs, large results out.
    grantStateAccess(this.jobState, props.state, { reads: ALL_ARTIFACTS, writes: ALL_ARTIFACTS });
    for (const topic of new Set(props.publishedTopics))
      props.bus.topic(topic).queue.grantSendMessages(this.jobState);
    props.cluster.grantSubmit(this.jobState, props.batchStages);

    this.jobStateRule = new events.Rule(this, 'JobStateRule', {
      description: "Finished jobs of this pipeline's Batch job queues",
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: {
          jobQueue: props.batchStages.flatMap((stage) => props.cluster.target(stage).jobQueueArns),
          status: ['SUCCEEDED', 'FAILED'],
        },
      },
      targets: [
        new targets.LambdaFunction(this.jobState.function, {
          deadLetterQueue: this.jobStateDeadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}
