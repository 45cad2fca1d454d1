import { RpcRequestError, TimeoutError } from 'viem';
import { describe, expect, it } from 'vitest';
import { RpcEndpointHealth } from '../../../lambdas/chain/rpc-endpoint-health.js';
import {
  type PooledEndpoint,
  RpcEndpointPool,
  type RpcEndpointPoolSettings,
  type RpcRequest,
} from '../../../lambdas/chain/rpc-endpoint-pool.js';
import { RpcEndpointsFailedError } from '../../../lambdas/chain/rpc-endpoints-failed-error.js';

const url = 'http://127.0.0.1:9';

/** An endpoint answering by `answer`, recording the methods it was asked. */
function endpoint(index: number, answer: (request: RpcRequest) => unknown) {
  const asked: string[] = [];
  const pooled: PooledEndpoint = {
    health: new RpcEndpointHealth(index, `L1 endpoint #${index + 1}`, {
      failureBackoffMs: 1000,
      maxFailureBackoffMs: 60_000,
    }),
    request: async (request) => {
      asked.push(request.method);
      return answer(request);
    },
  };
  return { pooled, asked };
}

const head = (block: number) => (request: RpcRequest) =>
  request.method === 'eth_blockNumber' ? `0x${block.toString(16)}` : 'ok';

function pool(
  endpoints: readonly PooledEndpoint[],
  clock: { now: number },
  overrides: Partial<RpcEndpointPoolSettings> = {},
) {
  return new RpcEndpointPool(endpoints, {
    label: 'L1',
    rpcTimeoutMs: 50,
    retryCount: 0,
    retryDelayMs: 1,
    maxHeadLagBlocks: 10n,
    headCheckIntervalMs: 30_000,
    latencyToleranceMs: 250,
    now: () => clock.now,
    ...overrides,
  });
}

describe('RpcEndpointPool', () => {
  it('compares heads again at the first request after the interval, not before', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const [a, b] = [endpoint(0, head(100)), endpoint(1, head(100))];
    const endpoints = pool([a.pooled, b.pooled], clock);

    // Act
    await endpoints.request({ method: 'eth_call' });
    clock.now += 29_999;
    await endpoints.request({ method: 'eth_call' });
    clock.now += 1;
    await endpoints.request({ method: 'eth_call' });
    await new Promise((resolve) => setTimeout(resolve, 0));

    // Assess
    expect(b.asked).toEqual(['eth_blockNumber', 'eth_blockNumber']);
    expect(a.asked.filter((method) => method === 'eth_call')).toHaveLength(3);
  });

  it('goes back to a primary that caught up at the next head comparison', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    let primaryHead = 80;
    const [a, b] = [endpoint(0, (r) => head(primaryHead)(r)), endpoint(1, head(100))];
    const endpoints = pool([a.pooled, b.pooled], clock);
    await endpoints.request({ method: 'eth_call' });
    const callsWhileBehind = a.asked.filter((method) => method === 'eth_call').length;

    // Act
    primaryHead = 100;
    clock.now += 30_000;
    await endpoints.request({ method: 'eth_call' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await endpoints.request({ method: 'eth_call' });

    // Assess
    expect(callsWhileBehind).toBe(0);
    expect(a.asked.filter((method) => method === 'eth_call')).toHaveLength(1);
  });

  it('takes no head from an answer that is not a quantity, so the others do not look behind', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const garbled = endpoint(0, (r) => (r.method === 'eth_blockNumber' ? `0x${'f'.repeat(80)}` : 'ok'));
    const honest = endpoint(1, head(100));
    const endpoints = pool([garbled.pooled, honest.pooled], clock);

    // Act
    await endpoints.request({ method: 'eth_call' });

    // Assess
    expect([garbled.pooled.health.lagging, honest.pooled.health.lagging]).toEqual([false, false]);
  });

  it('rethrows a node answer as it is and does not back the endpoint off for it', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const nonceTooLow = new RpcRequestError({
      body: {},
      url,
      error: { code: -32000, message: 'nonce too low' },
    });
    const only = endpoint(0, () => {
      throw nonceTooLow;
    });
    const endpoints = pool([only.pooled], clock);

    // Act
    const thrown = await endpoints
      .request({ method: 'eth_sendRawTransaction' })
      .catch((error: unknown) => error);

    // Assess
    expect(thrown).toBe(nonceTooLow);
    expect(only.pooled.health.standing(clock.now)).toBe(0);
  });

  it('when every endpoint is rate-limited, waits for the first Retry-After (at most one timeout) before the next round', async () => {
    // Prepare: the endpoint asked for 40 ms; the pool's own pause between rounds would be 1 ms.
    const limited = endpoint(0, () => 'ok');
    const endpoints = new RpcEndpointPool([limited.pooled], {
      label: 'L1',
      rpcTimeoutMs: 5000,
      retryCount: 1,
      retryDelayMs: 1,
      maxHeadLagBlocks: 10n,
      headCheckIntervalMs: 30_000,
      latencyToleranceMs: 250,
      now: Date.now,
    });
    const failedAt = Date.now();
    limited.pooled.health.failed(
      { kind: 'rate-limited', retryAfterMs: 40, summary: 'rate-limited (HTTP 429)' },
      new Error('429'),
      1,
      failedAt,
    );

    // Act
    const answer = await endpoints.request({ method: 'eth_call' });

    // Assess: asked once the 40 ms from the failure passed (measured from the failure, not from the
    // request, which a busy machine may start several ms later; 1 ms of timer rounding allowed)
    expect(answer).toBe('ok');
    expect(limited.asked).toEqual(['eth_call']);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(39);
  });

  it('names the endpoints it could not ask because of their Retry-After', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const limited = endpoint(0, () => 'ok');
    limited.pooled.health.failed(
      {
        kind: 'rate-limited',
        retryAfterMs: 30_000,
        summary: 'rate-limited (HTTP 429: busy, Retry-After 30 s)',
      },
      new TimeoutError({ body: {}, url }),
      1,
      clock.now,
    );
    const endpoints = pool([limited.pooled], clock);

    // Act
    const thrown = await endpoints.request({ method: 'eth_call' }).catch((error: unknown) => error);

    // Assess
    expect(thrown).toBeInstanceOf(RpcEndpointsFailedError);
    expect((thrown as Error).message).toContain(
      'L1: eth_call failed on every endpoint: L1 endpoint #1 not asked: it rate-limited (HTTP 429: busy, Retry-After 30 s) and may be asked again in 30 s',
    );
    expect(limited.asked).toEqual([]);
  });
});
