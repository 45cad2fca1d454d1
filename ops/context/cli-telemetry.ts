import type { Logger, Metrics } from '../../lambdas/core/ports/telemetry.js';

/**
 * The orchestrator's logs during an operator command: warnings and errors as one line each on
 * stderr (stdout carries the command's table or JSON), debug and info dropped.
 */
export function stderrLogger(write: (line: string) => void): Logger {
  const line = (level: string, message: string, attributes?: Record<string, unknown>): void =>
    write(`${level}: ${message}${attributes === undefined ? '' : ` ${JSON.stringify(attributes)}`}\n`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, attributes) => line('warn', message, attributes),
    error: (message, attributes) => line('error', message, attributes),
  };
}

/**
 * Metrics of an operator command are not emitted: EMF lines from a CLI reach no CloudWatch, and the
 * dashboard's gauges come from the functions' own runs.
 */
export const droppedMetrics: Metrics = {
  count: () => undefined,
  gauge: () => undefined,
};
