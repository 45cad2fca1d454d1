import type { Logger } from '../core/ports/telemetry.js';
import { redactUrls, redactUrlsInText } from './redact-rpc-urls.js';

/**
 * The handlers' Logger: forwards to `logger` with the URLs in the message and in every attribute
 * (error messages, stacks, viem `details`/`url`, `reason` strings) redacted, so that an RPC URL
 * carrying an API key never reaches CloudWatch.
 */
export function redactingLogger(logger: Logger): Logger {
  const forward =
    (level: keyof Logger) =>
    (message: string, attributes?: Record<string, unknown>): void => {
      logger[level](redactUrlsInText(message), attributes === undefined ? undefined : redactUrls(attributes));
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
