import { setTimeout as sleep } from 'node:timers/promises';
import type { SqsQueues } from './sqs-queues.js';
import {
  attributeRecord,
  entriesOf,
  queueNameOf,
  requiredString,
  type SqsRequest,
  stringRecord,
} from './sqs-request-fields.js';
import { SqsStandInError } from './sqs-stand-in-error.js';

/** One SQS action: the JSON request body in, the JSON response body out (a throw is the error response). */
export type SqsAction = (request: SqsRequest) => Promise<unknown> | unknown;

/** What the actions need from the server that answers them. */
export interface SqsActionContext {
  readonly queues: SqsQueues;
  readonly region: string;
  /** Cap on a ReceiveMessage long poll (WaitTimeSeconds), so shutdown stays quick. */
  readonly maxWaitSeconds: number;
  /** The QueueUrl clients use for a queue name. */
  queueUrl(name: string): string;
  /** True once the server is closing: long polls return at once. */
  isClosing(): boolean;
}

/**
 * The SQS actions the stand-in answers (`X-Amz-Target: AmazonSQS.<Action>`), in the AWS JSON 1.0
 * protocol shapes SDK v3 sends and expects, backed by `context.queues`.
 */
export function sqsActions(context: SqsActionContext): Record<string, SqsAction> {
  const { queues, region, maxWaitSeconds, queueUrl } = context;
  return {
    CreateQueue: (request) => {
      const name = requiredString(request, 'QueueName');
      queues.createQueue(name, stringRecord(request.Attributes));
      return { QueueUrl: queueUrl(name) };
    },
    GetQueueUrl: (request) => {
      const name = requiredString(request, 'QueueName');
      if (!queues.has(name)) queues.getAttributes(name, region);
      return { QueueUrl: queueUrl(name) };
    },
    ListQueues: (request) => {
      const prefix = typeof request.QueueNamePrefix === 'string' ? request.QueueNamePrefix : '';
      return {
        QueueUrls: queues
          .names()
          .filter((name) => name.startsWith(prefix))
          .map(queueUrl),
      };
    },
    GetQueueAttributes: (request) => {
      const all = queues.getAttributes(queueNameOf(request), region);
      const wanted = Array.isArray(request.AttributeNames) ? (request.AttributeNames as string[]) : ['All'];
      const attributes = wanted.includes('All')
        ? all
        : Object.fromEntries(Object.entries(all).filter(([key]) => wanted.includes(key)));
      return { Attributes: attributes };
    },
    SetQueueAttributes: (request) => {
      queues.setAttributes(queueNameOf(request), stringRecord(request.Attributes));
      return {};
    },
    SendMessage: (request) => {
      const sent = queues.send(
        queueNameOf(request),
        requiredString(request, 'MessageBody'),
        attributeRecord(request.MessageAttributes),
        Number(request.DelaySeconds ?? 0),
      );
      return {
        MessageId: sent.messageId,
        MD5OfMessageBody: sent.md5OfBody,
        ...(sent.md5OfMessageAttributes === undefined
          ? {}
          : { MD5OfMessageAttributes: sent.md5OfMessageAttributes }),
      };
    },
    SendMessageBatch: (request) => {
      const name = queueNameOf(request);
      const entries = entriesOf(request);
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of entries) {
        try {
          const sent = queues.send(
            name,
            requiredString(entry, 'MessageBody'),
            attributeRecord(entry.MessageAttributes),
            Number(entry.DelaySeconds ?? 0),
          );
          Successful.push({
            Id: entry.Id,
            MessageId: sent.messageId,
            MD5OfMessageBody: sent.md5OfBody,
            ...(sent.md5OfMessageAttributes === undefined
              ? {}
              : { MD5OfMessageAttributes: sent.md5OfMessageAttributes }),
          });
        } catch (error) {
          if (!(error instanceof SqsStandInError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
        }
      }
      return { Successful, Failed };
    },
    ReceiveMessage: async (request) => {
      const name = queueNameOf(request);
      const max = Math.min(10, Math.max(1, Number(request.MaxNumberOfMessages ?? 1)));
      const visibility =
        request.VisibilityTimeout === undefined ? undefined : Number(request.VisibilityTimeout);
      const waitUntil = Date.now() + Math.min(Number(request.WaitTimeSeconds ?? 0), maxWaitSeconds) * 1000;
      let messages = queues.receive(name, max, visibility);
      while (messages.length === 0 && !context.isClosing() && Date.now() < waitUntil) {
        await sleep(50);
        messages = queues.receive(name, max, visibility);
      }
      const wantedAttributes = [
        ...(Array.isArray(request.MessageSystemAttributeNames)
          ? (request.MessageSystemAttributeNames as string[])
          : []),
        ...(Array.isArray(request.AttributeNames) ? (request.AttributeNames as string[]) : []),
      ];
      const wantedMessageAttributes = Array.isArray(request.MessageAttributeNames)
        ? (request.MessageAttributeNames as string[])
        : [];
      return {
        Messages: messages.map((message) => {
          const attributes = wantedAttributes.includes('All')
            ? message.attributes
            : Object.fromEntries(
                Object.entries(message.attributes).filter(([key]) => wantedAttributes.includes(key)),
              );
          const messageAttributes =
            wantedMessageAttributes.includes('All') || wantedMessageAttributes.includes('.*')
              ? message.messageAttributes
              : Object.fromEntries(
                  Object.entries(message.messageAttributes).filter(([key]) =>
                    wantedMessageAttributes.includes(key),
                  ),
                );
          return {
            MessageId: message.messageId,
            ReceiptHandle: message.receiptHandle,
            MD5OfBody: message.md5OfBody,
            Body: message.body,
            ...(Object.keys(attributes).length === 0 ? {} : { Attributes: attributes }),
            ...(Object.keys(messageAttributes).length === 0
              ? {}
              : {
                  MessageAttributes: messageAttributes,
                  MD5OfMessageAttributes: message.md5OfMessageAttributes,
                }),
          };
        }),
      };
    },
    DeleteMessage: (request) => {
      queues.delete(queueNameOf(request), requiredString(request, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch: (request) => {
      const name = queueNameOf(request);
      const Successful: unknown[] = [];
      for (const entry of entriesOf(request)) {
        queues.delete(name, requiredString(entry, 'ReceiptHandle'));
        Successful.push({ Id: entry.Id });
      }
      return { Successful, Failed: [] };
    },
    ChangeMessageVisibility: (request) => {
      queues.changeVisibility(
        queueNameOf(request),
        requiredString(request, 'ReceiptHandle'),
        Number(request.VisibilityTimeout ?? 0),
      );
      return {};
    },
    ChangeMessageVisibilityBatch: (request) => {
      const name = queueNameOf(request);
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of entriesOf(request)) {
        try {
          queues.changeVisibility(
            name,
            requiredString(entry, 'ReceiptHandle'),
            Number(entry.VisibilityTimeout ?? 0),
          );
          Successful.push({ Id: entry.Id });
        } catch (error) {
          if (!(error instanceof SqsStandInError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
        }
      }
      return { Successful, Failed };
    },
    PurgeQueue: (request) => {
      queues.purge(queueNameOf(request));
      return {};
    },
  };
}
