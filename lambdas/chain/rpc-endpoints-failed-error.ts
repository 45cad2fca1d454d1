import { BaseError } from 'viem';

/**
 * Every configured endpoint of a chain failed one request (timeouts, rate limits, HTTP errors): the
 * message names each endpoint by position and redacted URL with what it did, e.g.
 * `L1: eth_call failed on every endpoint: L1 endpoint #1 (https://host/<redacted-url>) timed out; …`.
 * A viem `BaseError` whose cause is the last endpoint's own error, so cause-walking code (outage
 * detection, viem's error mapping) still sees the timeout or HTTP error.
 */
export class RpcEndpointsFailedError extends BaseError {
  override readonly name: string = 'RpcEndpointsFailedError';
  constructor(
    readonly label: string,
    readonly method: string,
    /** One line per endpoint: its name and what it did. */
    readonly failures: readonly string[],
    cause: unknown,
  ) {
    super(`${label}: ${method} failed on every endpoint: ${failures.join('; ')}`, {
      ...(cause instanceof Error ? { cause } : {}),
      name: 'RpcEndpointsFailedError',
    });
  }
}
