import { describe, expect, it } from 'vitest';
import { handlerTelemetryEnvironment } from '../../../devnet/runtime/pipeline-handlers.js';

describe('handlerTelemetryEnvironment', () => {
  it('keeps the handlers to warnings without metrics unless verbose, and an operator service name wins', () => {
    // Act
    const quiet = handlerTelemetryEnvironment('devnet', false, {});
    const verbose = handlerTelemetryEnvironment('devnet', true, { POWERTOOLS_SERVICE_NAME: 'mine' });

    // Assess
    expect(quiet).toEqual({
      POWERTOOLS_SERVICE_NAME: 'devnet-local',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    expect(verbose).toEqual({ POWERTOOLS_SERVICE_NAME: 'mine', POWERTOOLS_LOG_LEVEL: 'INFO' });
  });
});
