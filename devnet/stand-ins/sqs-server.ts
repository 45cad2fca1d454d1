import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RunningStandIn } from './dynamodb-stand-in.js';
import { readRequestBody, sendJson } from './json-http.js';
import { closeServer, listenOnLoopback } from './listen-on-loopback.js';
import { LOCAL_ACCOUNT_ID } from './local-account.js';
import type { ServiceCallCounter } from './service-call-counter.js';
import { sqsActions } from './sqs-actions.js';
import type { SqsQueues } from './sqs-queues.js';
import type { SqsRequest } from './sqs-request-fields.js';
import { SqsStandInError } from './sqs-stand-in-error.js';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface SqsStandIn extends RunningStandIn {
  readonly queues: SqsQueues;
  /** The QueueUrl clients use for `name`. */
  queueUrl(name: string): string;
}

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

  const actions = sqsActions({ queues, region, maxWaitSeconds, queueUrl, isClosing: () => closing });

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
      const result = await handler(body.length === 0 ? {} : (JSON.parse(body) as SqsRequest));
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
