import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LocalLambdaHandler, lambdaContext } from './lambda-context.js';
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
  /** Records per invocation (event source mapping BatchSize). @default 10 */
  readonly batchSize?: number;
  /** Pause between empty polls. @default 200 */
  readonly idlePollMs?: number;
  readonly region?: string;
  /** Called when an invocation throws (the whole batch then reappears after the visibility timeout). */
  readonly onInvocationError?: (error: unknown) => void;
}

export interface RunningEventSource {
  /** Stops polling and waits for the invocation in flight. */
  stop(): Promise<void>;
}

/**
 * Polls a queue like a Lambda SQS event source mapping with `ReportBatchItemFailures`: receives a
 * batch, invokes the handler with an AWS-shaped SQSEvent, deletes the records not listed in
 * `batchItemFailures`. Failed records (or the whole batch when the handler throws) become visible
 * again after the visibility timeout and move to the DLQ after the queue's maxReceiveCount.
 * It reads the queues directly, as the managed poller's calls are not the account's API calls.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): RunningEventSource {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const arn = SqsQueues.arnOf(options.queueName, region);
  let stopped = false;

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const messages = options.queues.receive(options.queueName, options.batchSize ?? 10);
      if (messages.length === 0) {
        await sleep(options.idlePollMs ?? 200);
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
          if (!failed.has(message.messageId)) options.queues.delete(options.queueName, message.receiptHandle);
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
      await running;
    },
  };
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
