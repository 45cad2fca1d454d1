import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startL2Traffic } from '../../../devnet/chains/start-l2-traffic.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('startL2Traffic', () => {
  it('keeps going through RPC errors and stops on request', async () => {
    // Prepare
    const traffic = startL2Traffic({
      l2RpcUrl: `http://127.0.0.1:${await closedPort()}`,
      pollIntervalMs: 10,
    });

    // Act
    while (traffic.counts().errors < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await traffic.stop();
    const afterStop = traffic.counts();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(afterStop.transfers + afterStop.withdrawals).toBe(0);
    expect(traffic.counts()).toEqual(afterStop);
  });

  it('refuses the deployer and proposer accounts', () => {
    // Act / Assess
    expect(() => startL2Traffic({ l2RpcUrl: 'http://127.0.0.1:1', accountIndexes: [1, 5] })).toThrow(
      'above index 2',
    );
  });
});
