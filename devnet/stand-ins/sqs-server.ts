import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningStandIn } from './dynamodb-stand-in.js';
import { readRequestBody, sendJson } from './json-http.js';
import { closeServer, listenOnLoopback } from './listen-on-loopback.js';
import type { ServiceCallCounter } from './service-call-counter.js';
import { LOCAL_ACCOUNT_ID, type SqsMessageAttribute, type SqsQueues, SqsStandInError } from './sqs-queues.js';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface SqsStandIn extends RunningStandIn {
  readonly queues: SqsQueues;
  /** The QueueUrl clients use for `name`. */
  queueUrl(name: string): string;
}

type Request = Record<string, unknown>;

/**
 * Starts an SQS stand-in on loopback speaking the AWS JSON 1.0 protocol SDK v3 uses
 * (`POST /` with `X-Amz-Target: AmazonSQS.<Action>`), backed by `queues`.
 * Long polls (`WaitTimeSeconds`) wait at most `maxWaitSeconds` so shutdown stays quick.
 */
export async function startSqsStandIn(options: {
  queues: SqsQueues;
  port?: number;
  region?: string;
  maxWaitSeconds?: number;
  counter?: ServiceCallCounter;
}): Promise<SqsStandIn> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const maxWaitSeconds = options.maxWaitSeconds ?? 2;
  let baseUrl = '';
  let closing = false;
  const queueUrl = (name: string): string => `${baseUrl}/${LOCAL_ACCOUNT_ID}/${name}`;
  const queues = options.queues;

  const actions: Record<string, (request: Request) => Promise<unknown> | unknown> = {
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
      while (messages.length === 0 && !closing && Date.now() < waitUntil) {
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

  const server: Server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers['x-amz-target'];
    const action = typeof target === 'string' ? target.replace(/^AmazonSQS\./, '') : '';
    try {
      const body = await readRequestBody(request);
      const handler = actions[action];
      if (handler === undefined) {
        throw new SqsStandInError(
          'InvalidAction',
          'InvalidAction',
          `The action "${action}" is not valid for this endpoint.`,
        );
      }
      const result = await handler(body.length === 0 ? {} : (JSON.parse(body) as Request));
      sendJson(response, 200, result, JSON_CONTENT_TYPE);
    } catch (error) {
      if (error instanceof SqsStandInError) {
        response.setHeader('x-amzn-query-error', `${error.queryCode};Sender`);
        sendJson(
          response,
          400,
          { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
          JSON_CONTENT_TYPE,
        );
        return;
      }
      sendJson(
        response,
        500,
        { __type: 'com.amazonaws.sqs#InternalError', message: (error as Error).message },
        JSON_CONTENT_TYPE,
      );
    }
  }

  options.counter?.observe('sqs', server);
  baseUrl = await listenOnLoopback(server, options.port ?? 0);
  return {
    endpoint: baseUrl,
    queues,
    queueUrl,
    close: async () => {
      closing = true;
      await closeServer(server);
    },
  };
}

function requiredString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string') {
    throw new SqsStandInError(
      'MissingParameter',
      'MissingParameter',
      `The request must contain the parameter ${field}.`,
    );
  }
  return value;
}

function queueNameOf(request: Request): string {
  const url = requiredString(request, 'QueueUrl');
  return url.slice(url.lastIndexOf('/') + 1);
}

function entriesOf(request: Request): Request[] {
  if (!Array.isArray(request.Entries) || request.Entries.length === 0) {
    throw new SqsStandInError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'no entries');
  }
  if (request.Entries.length > 10) {
    throw new SqsStandInError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      'at most 10 entries per batch',
    );
  }
  return request.Entries as Request[];
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === undefined || value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, String(entry)]),
  );
}

function attributeRecord(value: unknown): Record<string, SqsMessageAttribute> {
  if (value === undefined || value === null || typeof value !== 'object') return {};
  return value as Record<string, SqsMessageAttribute>;
}
