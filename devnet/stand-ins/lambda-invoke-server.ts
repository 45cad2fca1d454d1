import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunningStandIn } from './dynamodb-stand-in.js';
import { readRequestBody, sendJson } from './json-http.js';
import { closeServer, listenOnLoopback } from './listen-on-loopback.js';
import type { ServiceCallCounter } from './service-call-counter.js';

/** `POST /2015-03-31/functions/<name>/invocations`, the path SDK v3 sends Invoke to. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

class InvokeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts a Lambda stand-in on loopback answering asynchronous `Invoke` (`X-Amz-Invocation-Type:
 * Event`) of the local functions in `functions`: it hands the event to `onInvoke` (e.g. the local
 * scheduler's `wake`) and answers 202 at once, as Lambda queues the event. A synchronous invoke
 * and an unknown function are refused with Lambda's error types.
 */
export async function startLambdaStandIn(options: {
  readonly functions: readonly string[];
  readonly onInvoke: (functionName: string, payload: string) => void;
  readonly port?: number;
  readonly counter?: ServiceCallCounter;
}): Promise<RunningStandIn> {
  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const match = INVOKE_PATH.exec(path);
      if (match === null || request.method !== 'POST') {
        throw new InvokeError(
          400,
          'InvalidRequestContentException',
          `the local Lambda stand-in does not implement ${request.method} ${path}`,
        );
      }
      const functionName = decodeURIComponent(match[1] as string);
      if (!options.functions.includes(functionName)) {
        throw new InvokeError(
          404,
          'ResourceNotFoundException',
          `Function not found: ${functionName} (local functions: ${options.functions.join(', ')})`,
        );
      }
      const invocationType = request.headers['x-amz-invocation-type'];
      if (invocationType !== 'Event') {
        throw new InvokeError(
          400,
          'InvalidParameterValueException',
          `the local Lambda stand-in only queues asynchronous invokes (X-Amz-Invocation-Type: Event), got ${String(invocationType ?? 'RequestResponse')}`,
        );
      }
      const payload = await readRequestBody(request);
      options.onInvoke(functionName, payload);
      response.writeHead(202, { 'content-length': 0 });
      response.end();
    } catch (error) {
      const known = error instanceof InvokeError;
      response.setHeader('x-amzn-errortype', known ? error.type : 'ServiceException');
      sendJson(response, known ? error.status : 500, {
        message: (error as Error).message,
        Type: known ? 'User' : 'Service',
      });
    }
  }

  options.counter?.observe('lambda', server);
  const endpoint = await listenOnLoopback(server, options.port ?? 0);
  return { endpoint, close: () => closeServer(server) };
}
