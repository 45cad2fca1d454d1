import type { EndpointFailure } from './rpc-endpoint-failure.js';

/** How an endpoint stands, best first: the order in which endpoints are tried. */
export const ENDPOINT_STANDING = { healthy: 0, backingOff: 1, lagging: 2 } as const;
export type EndpointStanding = (typeof ENDPOINT_STANDING)[keyof typeof ENDPOINT_STANDING];

export interface EndpointHealthSettings {
  /** Backoff after a first failure; doubled per consecutive failure up to `maxFailureBackoffMs`. */
  readonly failureBackoffMs: number;
  readonly maxFailureBackoffMs: number;
}

/** Weight of the newest sample in the mean latency. */
const LATENCY_WEIGHT = 0.3;

/**
 * What the transport has seen of one configured endpoint: mean latency, consecutive failures and the
 * backoff they earned, a `Retry-After` it must honour, and whether its head lags the others.
 */
export class RpcEndpointHealth {
  private meanLatencyMs: number | undefined;
  private consecutiveFailures = 0;
  private backoffUntil = 0;
  private rateLimitUntil = 0;
  /** Set by the head check: its head is more than the allowed blocks behind the best one. */
  lagging = false;
  /** The last failure and the error it came from (the cause of a "every endpoint failed" error). */
  lastFailure: { readonly failure: EndpointFailure; readonly error: unknown } | undefined;

  /**
   * @param index 0-based position in the configured list.
   * @param name How errors name it, e.g. `L1 endpoint #2 (https://host/<redacted-url>)`.
   */
  constructor(
    readonly index: number,
    readonly name: string,
    private readonly settings: EndpointHealthSettings,
  ) {}

  /** An answer came back after `latencyMs`. A first answer after failures starts the mean afresh. */
  succeeded(latencyMs: number): void {
    const recovered = this.consecutiveFailures > 0;
    this.meanLatencyMs =
      this.meanLatencyMs === undefined || recovered
        ? latencyMs
        : LATENCY_WEIGHT * latencyMs + (1 - LATENCY_WEIGHT) * this.meanLatencyMs;
    this.consecutiveFailures = 0;
    this.backoffUntil = 0;
  }

  /**
   * The endpoint failed after `latencyMs` at `now`: it backs off (exponentially), and a rate-limited
   * answer with `Retry-After` keeps it out of use until then.
   */
  failed(failure: EndpointFailure, error: unknown, latencyMs: number, now: number): void {
    this.lastFailure = { failure, error };
    this.consecutiveFailures += 1;
    this.meanLatencyMs = Math.max(this.meanLatencyMs ?? 0, latencyMs);
    const backoff = Math.min(
      this.settings.failureBackoffMs * 2 ** (this.consecutiveFailures - 1),
      this.settings.maxFailureBackoffMs,
    );
    this.backoffUntil = now + backoff;
    if (failure.retryAfterMs !== undefined) this.rateLimitUntil = now + failure.retryAfterMs;
  }

  /** Until when (epoch ms) its `Retry-After` keeps it out of use; 0 when it does not. */
  rateLimitedUntil(now: number): number {
    return this.rateLimitUntil > now ? this.rateLimitUntil : 0;
  }

  standing(now: number): EndpointStanding {
    if (this.lagging) return ENDPOINT_STANDING.lagging;
    return this.backoffUntil > now ? ENDPOINT_STANDING.backingOff : ENDPOINT_STANDING.healthy;
  }

  /**
   * Its mean latency in bands of `toleranceMs`: endpoints in one band are tried in configured order,
   * so a primary keeps its traffic unless it is clearly slower. Unmeasured endpoints are in band 0.
   */
  latencyBand(toleranceMs: number): number {
    return Math.floor((this.meanLatencyMs ?? 0) / toleranceMs);
  }
}

/**
 * The endpoints in the order to try them at `now`: by standing (healthy, backing off, lagging), then
 * latency band, then configured order. Endpoints whose `Retry-After` has not passed are left out.
 */
export function rankEndpoints(
  endpoints: readonly RpcEndpointHealth[],
  now: number,
  latencyToleranceMs: number,
): RpcEndpointHealth[] {
  const key = (endpoint: RpcEndpointHealth) =>
    [endpoint.standing(now), endpoint.latencyBand(latencyToleranceMs), endpoint.index] as const;
  return endpoints
    .filter((endpoint) => endpoint.rateLimitedUntil(now) === 0)
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
    });
}
