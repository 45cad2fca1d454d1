import { bigintToDecimal } from '../lambdas/core/json/bigint-replacer.js';
import type { Logger } from '../lambdas/core/ports/telemetry.js';

/**
 * Logger writing one JSON object per line to stdout (CloudWatch Logs in Batch), with the job's
 * identity on every line. Errors in attributes are rendered as name, message and details.
 */
export class JsonLineLogger implements Logger {
  constructor(
    private readonly context: Readonly<Record<string, unknown>> = {},
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  debug(message: string, attributes?: Record<string, unknown>): void {
    this.log('DEBUG', message, attributes);
  }

  info(message: string, attributes?: Record<string, unknown>): void {
    this.log('INFO', message, attributes);
  }

  warn(message: string, attributes?: Record<string, unknown>): void {
    this.log('WARN', message, attributes);
  }

  error(message: string, attributes?: Record<string, unknown>): void {
    this.log('ERROR', message, attributes);
  }

  /** The same logger with more fields on every line. */
  with(context: Readonly<Record<string, unknown>>): JsonLineLogger {
    return new JsonLineLogger({ ...this.context, ...context }, this.write);
  }

  private log(level: string, message: string, attributes: Record<string, unknown> = {}): void {
    const line = { level, timestamp: new Date().toISOString(), message, ...this.context, ...attributes };
    this.write(`${JSON.stringify(line, replacer)}\n`);
  }
}

function replacer(key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const details = (value as { details?: unknown }).details;
    return { name: value.name, message: value.message, ...(details === undefined ? {} : { details }) };
  }
  return bigintToDecimal(key, value);
}
