import { describe, expect, it } from 'vitest';
import { RpcRateLimiter } from '../../../lambdas/watcher/rpc-rate-limiter.js';

describe('RpcRateLimiter', () => {
  it('spaces calls 1/rate apart and lets a call through at once after a pause', async () => {
    // Prepare
    let now = 0;
    const sleeps: number[] = [];
    const limiter = new RpcRateLimiter(
      10,
      () => now,
      async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    );

    // Act
    await limiter.take();
    await limiter.take();
    await limiter.take();
    now += 1_000;
    await limiter.take();

    // Assess
    expect(sleeps).toEqual([100, 100]);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new RpcRateLimiter(0)).toThrow(RangeError);
  });
});
