import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../../core/ports/telemetry.js';

/**
 * The core's Logger port over a Powertools Logger: one JSON line per entry with the Lambda context
 * (request id, cold start) the middy middleware injects; attributes become top-level keys.
 */
export class PowertoolsLoggerAdapter implements Logger {
  constructor(private readonly logger: PowertoolsLogger) {}

  debug(message: string, attributes: Record<string, unknown> = {}): void {
    this.logger.debug(message, attributes);
  }

  info(message: string, attributes: Record<string, unknown> = {}): void {
    this.logger.info(message, attributes);
  }

  warn(message: string, attributes: Record<string, unknown> = {}): void {
    this.logger.warn(message, attributes);
  }

  error(message: string, attributes: Record<string, unknown> = {}): void {
    this.logger.error(message, attributes);
  }
}
