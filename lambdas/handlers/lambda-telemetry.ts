import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE } from '../core/ports/telemetry.js';

/**
 * The Powertools Logger and Metrics of this Lambda function, created at module load so the middy
 * middlewares and the composition root share them. Service name from `POWERTOOLS_SERVICE_NAME`.
 */
export const powertoolsLogger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rollup-prover',
});

export const powertoolsMetrics = new Metrics({
  namespace: METRIC_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rollup-prover',
});
