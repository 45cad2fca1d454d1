import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';

export interface MessageBusProps {
  /** Pipeline name: queue names are `<pipelineName>-<topic>` and `<pipelineName>-<topic>-dlq`. */
  readonly pipelineName: string;
  /** Every topic of the pipeline (the watcher's output and each stage's output), in a stable order. */
  readonly topics: readonly string[];
  /** Timeout of the function consuming the queues; visibility is six times it, as AWS recommends for SQS event sources. */
  readonly consumerTimeout: Duration;
  /**
   * Deliveries before a message moves to its topic's dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the dead-letter queues keep a message for the operator.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly deadLetterRetention?: Duration;
}

/** One topic's queue and its dead-letter queue. */
export interface TopicQueues {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The queue's physical name (known at synth, so the environment size check can count it). */
  readonly queueName: string;
}

/** SQS queue names may hold up to 80 characters. */
const SQS_QUEUE_NAME_MAX = 80;
/** Visibility timeout ≥ 6 × the consumer's timeout (AWS guidance for Lambda SQS event sources). */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * One SQS queue per topic, each with a dead-letter queue: SSE (SQS-managed keys), TLS-only access,
 * redrive after `maxReceiveCount` deliveries. Queues only deliver: DynamoDB holds the truth.
 */
export class MessageBus extends Construct {
  readonly topics: ReadonlyMap<string, TopicQueues>;

  constructor(scope: Construct, id: string, props: MessageBusProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `${this.node.path}: maxReceiveCount got ${maxReceiveCount}, expected a whole number in 1…1000`,
      );
    }
    if (props.topics.length === 0 || new Set(props.topics).size !== props.topics.length) {
      throw new Error(
        `${this.node.path}: topics got [${props.topics.join(', ')}], expected at least one topic, each once`,
      );
    }
    const visibilityTimeout = Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
    const names = pipelineResourceNames(props.pipelineName);
    const topics = new Map<string, TopicQueues>();
    for (const topic of props.topics) {
      const queueName = names.queue(topic);
      const deadLetterQueueName = names.deadLetterQueue(topic);
      if (deadLetterQueueName.length > SQS_QUEUE_NAME_MAX) {
        throw new Error(
          `${this.node.path}: queue name "${deadLetterQueueName}" has ${deadLetterQueueName.length} characters, expected at most ${SQS_QUEUE_NAME_MAX}: shorten the pipeline or topic name`,
        );
      }
      const topicScope = new Construct(this, topic);
      const deadLetterQueue = new sqs.Queue(topicScope, 'DeadLetterQueue', {
        queueName: deadLetterQueueName,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
      });
      const queue = new sqs.Queue(topicScope, 'Queue', {
        queueName,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout,
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
      });
      topics.set(topic, { queue, deadLetterQueue, queueName });
    }
    this.topics = topics;
  }

  /** The queues of a topic. @throws Error naming the known topics when `topic` has none. */
  topic(topic: string): TopicQueues {
    const found = this.topics.get(topic);
    if (found === undefined) {
      throw new Error(
        `${this.node.path}: no queue for topic "${topic}", expected one of: ${[...this.topics.keys()].join(', ')}`,
      );
    }
    return found;
  }
}
