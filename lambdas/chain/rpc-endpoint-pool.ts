import { shouldThrow } from 'viem';
import { type EndpointFailure, endpointFailureOf } from './rpc-endpoint-failure.js';
import { type RpcEndpointHealth, rankEndpoints } from './rpc-endpoint-health.js';
import { RpcEndpointsFailedError } from './rpc-endpoints-failed-error.js';

/** One JSON-RPC request as viem's transports take it. */
export interface RpcRequest {
  readonly method: string;
  readonly params?: unknown;
}

/** One configured endpoint: its health record and a transport that asks it alone, without retries. */
export interface PooledEndpoint {
  readonly health: RpcEndpointHealth;
  request(request: RpcRequest): Promise<unknown>;
}

export interface RpcEndpointPoolSettings {
  /** Names the chain in errors, e.g. `L1`. */
  readonly label: string;
  readonly rpcTimeoutMs: number;
  /** Rounds over the endpoints after the first one fails. */
  readonly retryCount: number;
  /** Pause before the second round, doubled for each later one. */
  readonly retryDelayMs: number;
  /** An endpoint whose head is more than this many blocks behind the best head is used last. */
  readonly maxHeadLagBlocks: bigint;
  /** Heads are compared at the first request, then again at a request this long after the last check. */
  readonly headCheckIntervalMs: number;
  /** Endpoints whose mean latencies are this close keep configured order. */
  readonly latencyToleranceMs: number;
  readonly now: () => number;
}

/**
 * Sends each request to the best-standing endpoint first (healthy, then backing off after failures,
 * then lagging; faster latency band, then configured order) and falls over to the next on an endpoint
 * failure. A hanging endpoint thus costs one timeout, then backs off instead of being first again;
 * a `Retry-After` keeps its endpoint out of use until it has passed; heads are compared across
 * endpoints (`eth_blockNumber`) at the first request and then at most every `headCheckIntervalMs`, in
 * the background, with no timer of its own (a Lambda or a prover process is never kept alive by it).
 *
 * Node answers (reverts, "nonce too low") go to the next endpoint as viem's `fallback` does, but say
 * nothing about the endpoint's health; when the last try is one, it is rethrown as it is.
 */
export class RpcEndpointPool {
  private firstHeadCheck: Promise<void> | undefined;
  private headCheck: Promise<void> | undefined;
  private lastHeadCheckAt = 0;

  constructor(
    private readonly endpoints: readonly PooledEndpoint[],
    private readonly settings: RpcEndpointPoolSettings,
  ) {}

  /** Sends `request` as described on the class; throws `RpcEndpointsFailedError` when every endpoint failed. */
  async request(request: RpcRequest): Promise<unknown> {
    await this.headsCompared();
    const tries: Try[] = [];
    for (let round = 0; ; round += 1) {
      if (round > 0) await sleep(this.roundDelayMs(round));
      for (const health of this.ranked()) {
        const endpoint = this.byHealth(health);
        try {
          return await this.attempt(endpoint, request);
        } catch (error) {
          if (shouldThrow(error as Error)) throw error;
          tries.push({ health, error, failure: this.failureOf(error) });
        }
      }
      if (round >= this.settings.retryCount) break;
    }
    const last = tries.at(-1);
    if (last !== undefined && last.failure === undefined) throw last.error;
    throw this.everyEndpointFailed(request.method, tries);
  }

  /** Asks every endpoint not rate-limited for its head and marks those too far behind the best as lagging. */
  private async compareHeads(): Promise<void> {
    const now = this.settings.now();
    this.lastHeadCheckAt = now;
    const asked = this.endpoints.filter((endpoint) => endpoint.health.rateLimitedUntil(now) === 0);
    const heads = await Promise.all(
      asked.map(async (endpoint) => {
        try {
          const head = await this.attempt(endpoint, { method: 'eth_blockNumber' });
          // A head that is not a quantity is no head: it must not make the others look behind.
          return typeof head === 'string' && QUANTITY.test(head) ? BigInt(head) : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    const best = heads.reduce<bigint>((max, head) => (head !== undefined && head > max ? head : max), 0n);
    asked.forEach((endpoint, i) => {
      const head = heads[i];
      if (head !== undefined) endpoint.health.lagging = best - head > this.settings.maxHeadLagBlocks;
    });
  }

  private async headsCompared(): Promise<void> {
    if (this.endpoints.length < 2) return;
    this.firstHeadCheck ??= this.compareHeads();
    await this.firstHeadCheck;
    const due = this.settings.now() - this.lastHeadCheckAt >= this.settings.headCheckIntervalMs;
    if (due && this.headCheck === undefined) {
      this.headCheck = this.compareHeads().finally(() => {
        this.headCheck = undefined;
      });
    }
  }

  private async attempt(endpoint: PooledEndpoint, request: RpcRequest): Promise<unknown> {
    const started = this.settings.now();
    // A Lambda frozen between invocations mid-request would otherwise count the freeze as latency.
    const latency = () => Math.min(this.settings.now() - started, this.settings.rpcTimeoutMs);
    try {
      const result = await endpoint.request(request);
      endpoint.health.succeeded(latency());
      return result;
    } catch (error) {
      const failure = this.failureOf(error);
      if (failure !== undefined) endpoint.health.failed(failure, error, latency(), this.settings.now());
      throw error;
    }
  }

  private failureOf(error: unknown): EndpointFailure | undefined {
    return endpointFailureOf(error, { now: this.settings.now(), timeoutMs: this.settings.rpcTimeoutMs });
  }

  private ranked(): RpcEndpointHealth[] {
    const health = this.endpoints.map((endpoint) => endpoint.health);
    return rankEndpoints(health, this.settings.now(), this.settings.latencyToleranceMs);
  }

  private byHealth(health: RpcEndpointHealth): PooledEndpoint {
    return this.endpoints[health.index] as PooledEndpoint;
  }

  /**
   * `retryDelayMs` doubled per round; when every endpoint is rate-limited, until the first one may be
   * asked again, but never longer than one RPC timeout (a caller waits at most that much more).
   */
  private roundDelayMs(round: number): number {
    const backoff = this.settings.retryDelayMs * 2 ** (round - 1);
    const now = this.settings.now();
    const until = this.endpoints.map((endpoint) => endpoint.health.rateLimitedUntil(now));
    if (until.some((time) => time === 0)) return backoff;
    return Math.max(backoff, Math.min(Math.min(...until) - now, this.settings.rpcTimeoutMs));
  }

  /** Names every endpoint with what it did to this request, or why it was not asked. */
  private everyEndpointFailed(method: string, tries: readonly Try[]): RpcEndpointsFailedError {
    const now = this.settings.now();
    const lines = this.endpoints.map(({ health }) => {
      const tried = tries.filter((attempt) => attempt.health === health).at(-1);
      if (tried !== undefined) {
        const answer = (tried.error as { shortMessage?: string }).shortMessage ?? String(tried.error);
        return `${health.name} ${tried.failure?.summary ?? `answered: ${answer}`}`;
      }
      const seconds = Math.ceil((health.rateLimitedUntil(now) - now) / 1000);
      const before = health.lastFailure?.failure.summary ?? 'rate-limited';
      return `${health.name} not asked: it ${before} and may be asked again in ${seconds} s`;
    });
    const cause =
      tries.at(-1)?.error ??
      this.endpoints.find(({ health }) => health.lastFailure)?.health.lastFailure?.error;
    return new RpcEndpointsFailedError(this.settings.label, method, lines, cause);
  }
}

/** One endpoint's failure during a request: `failure` is undefined for a node answer. */
interface Try {
  readonly health: RpcEndpointHealth;
  readonly error: unknown;
  readonly failure: EndpointFailure | undefined;
}

/** A JSON-RPC quantity (EIP-1474): `0x` and hex digits. */
const QUANTITY = /^0x[0-9a-f]{1,64}$/i;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
