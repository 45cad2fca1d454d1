/**
 * Spaces calls at least `1 / requestsPerSecond` apart (the watcher's `rpcRequestsPerSecond`), so a
 * catch-up run never floods a shared RPC endpoint. Callers `await limiter.take()` before each call.
 */
export class RpcRateLimiter {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(requestsPerSecond > 0))
      throw new RangeError(`requestsPerSecond must be positive (got ${requestsPerSecond})`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the next call may start. */
  async take(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}
