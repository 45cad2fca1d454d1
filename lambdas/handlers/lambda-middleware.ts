import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { redactErrorUrls } from '../chain/redact-rpc-urls.js';
import { flushMetrics } from './flush-metrics.js';
import { powertoolsLogger, powertoolsMetrics } from './lambda-telemetry.js';

/**
 * Wraps a handler with middy and the Powertools middlewares: the Lambda context (request id, cold
 * start) on every log line, and the buffered EMF metrics flushed at the end of each invocation (`flushMetrics`). An
 * error the handler throws has its RPC URLs redacted (`redactErrorUrls`) before the Lambda runtime
 * logs it.
 */
export function wrapLambdaHandler<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
): middy.MiddyfiedHandler<TEvent, TResult> {
  const redacted = async (event: TEvent, context: Context): Promise<TResult> => {
    try {
      return await handler(event, context);
    } catch (error) {
      throw redactErrorUrls(error);
    }
  };
  return middy<TEvent, TResult>(redacted)
    .use(injectLambdaContext(powertoolsLogger, { resetKeys: true }))
    .use(flushMetrics(powertoolsMetrics));
}
