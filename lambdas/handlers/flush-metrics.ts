import type { Metrics } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * Middy middleware that records the cold start and flushes the buffered EMF metrics after each
 * invocation (also on error). Unlike Powertools' `logMetrics`, it publishes only when a metric was
 * recorded: the watcher and proposer often have nothing to report, and an empty flush makes
 * Powertools log a warning on every invocation.
 */
export function flushMetrics(metrics: Metrics): middy.MiddlewareObj {
  const flush = async (): Promise<void> => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: async (request) => {
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: flush,
    onError: flush,
  };
}
