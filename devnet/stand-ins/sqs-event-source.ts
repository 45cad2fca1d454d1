import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LocalLambdaHandler, lambdaContext } from './lambda-context.js';
import { SQS_EVENT_SOURCE_DEFAULTS, type SqsEventSourceBatching } from './sqs-event-source-defaults.js';
import type { ReceivedMessage } from './sqs-message.js';
import { SqsQueues } from './sqs-queues.js';

export interface SqsEventSourceOptions {
  readonly queues: SqsQueues;
  readonly queueName: string;
  /** Function name shown in the handler's context (and logs). */
  readonly functionName: string;
  /** The function's timeout in seconds (the context's remaining time at invocation). */
  readonly timeoutSeconds: number;
  readonly handler: LocalLambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  /** Records per invocation (event source mapping BatchSize), 1…10000. @default 10 */
  readonly batchSize?: number;
  /**
   * Longest wait, after the first record is received, for the batch to reach `batchSize`
   * (MaximumBatchingWindowInSeconds in ms, 0…300000; 0 invokes with what one receive returns).
   * @default 1000
   */
  readonly maxBatchingWindowMs?: number;
  /** Pause between receives on an empty queue when no send wakes the source. @default 200 */
  readonly idlePollMs?: number;
  readonly region?: string;
  /** Called when an invocation throws (the whole batch then reappears after the visibility timeout). */
  readonly onInvocationError?: (error: unknown) => void;
}

export interface RunningEventSource {
  /** Stops polling and waits for the invocation in flight (a batch being gathered is invoked at once). */
  stop(): Promise<void>;
}

/**
 * Polls a queue like a Lambda SQS event source mapping with a batching window and
 * `ReportBatchItemFailures`: gathers up to `batchSize` records, for at most `maxBatchingWindowMs`
 * after the first, invokes the handler with an AWS-shaped SQSEvent, deletes the records not listed
 * in `batchItemFailures`. Failed records (or the whole batch when the handler throws) become visible
 * again after the visibility timeout and move to the DLQ after the queue's maxReceiveCount.
 * A send to the queue wakes it (the managed poller long-polls), so only messages that become
 * visible again wait for the next poll. It reads the queues directly, as the managed poller's
 * calls are not the account's API calls.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): RunningEventSource {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const arn = SqsQueues.arnOf(options.queueName, region);
  const { batchSize, maxBatchingWindowMs, idlePollMs } = batchingOf(options);
  const { queues, queueName } = options;
  let stopped = false;
  let wake: (() => void) | undefined;
  const unsubscribe = queues.sent.subscribe(queueName, () => wake?.());
  /** Resolves after `ms`, on a send to the queue, or on stop, whichever comes first. */
  const nextSend = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  const gather = async (): Promise<ReceivedMessage[]> => {
    const messages = queues.receive(queueName, batchSize);
    if (messages.length === 0) return messages;
    const windowEnds = Date.now() + maxBatchingWindowMs;
    while (!stopped && messages.length < batchSize && Date.now() < windowEnds) {
      await nextSend(Math.min(windowEnds - Date.now(), idlePollMs));
      messages.push(...queues.receive(queueName, batchSize - messages.length));
    }
    return messages;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const messages = await gather();
      if (messages.length === 0) {
        await nextSend(idlePollMs);
        continue;
      }
      const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, arn, region)) };
      try {
        const response = await options.handler(
          event,
          lambdaContext(options.functionName, options.timeoutSeconds),
        );
        const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        for (const message of messages) {
          if (!failed.has(message.messageId)) queues.delete(queueName, message.receiptHandle);
        }
      } catch (error) {
        options.onInvocationError?.(error);
      }
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      unsubscribe();
      wake?.();
      await running;
    },
  };
}

/** The options' batching with defaults, checked against the event source mapping's limits. */
function batchingOf(options: SqsEventSourceOptions): SqsEventSourceBatching {
  const batchSize = options.batchSize ?? SQS_EVENT_SOURCE_DEFAULTS.batchSize;
  const maxBatchingWindowMs = options.maxBatchingWindowMs ?? SQS_EVENT_SOURCE_DEFAULTS.maxBatchingWindowMs;
  const idlePollMs = options.idlePollMs ?? SQS_EVENT_SOURCE_DEFAULTS.idlePollMs;
  const where = `SQS event source of ${options.queueName}`;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new Error(`${where}: batchSize got ${batchSize}, expected a whole number in 1…10000`);
  }
  if (!Number.isFinite(maxBatchingWindowMs) || maxBatchingWindowMs < 0 || maxBatchingWindowMs > 300_000) {
    throw new Error(`${where}: maxBatchingWindowMs got ${maxBatchingWindowMs}, expected 0…300000`);
  }
  if (!Number.isFinite(idlePollMs) || idlePollMs <= 0) {
    throw new Error(`${where}: idlePollMs got ${idlePollMs}, expected a positive number of ms`);
  }
  return { batchSize, maxBatchingWindowMs, idlePollMs };
}

function sqsRecord(message: ReceivedMessage, eventSourceARN: string, awsRegion: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, attribute] of Object.entries(message.messageAttributes)) {
    messageAttributes[name] = {
      dataType: attribute.DataType,
      ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
      ...(attribute.BinaryValue === undefined ? {} : { binaryValue: attribute.BinaryValue }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: message.attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.attributes.SentTimestamp ?? String(Date.now()),
      SenderId: message.attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp:
        message.attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}
