import type { PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { PendingL2BlockError } from '../../../lambdas/watcher/errors.js';
import { viemL2BlockSource } from '../../../lambdas/watcher/l2-block-source.js';
import { RpcRateLimiter } from '../../../lambdas/watcher/rpc-rate-limiter.js';

/** A client whose node answers every block request with a pending block (no number, no hash). */
const pendingOnly = {
  getBlock: async () => ({
    number: null,
    hash: null,
    parentHash: `0x${'00'.repeat(32)}`,
    transactions: [],
  }),
} as unknown as PublicClient;

describe('viemL2BlockSource', () => {
  it.each([
    [
      'the finalized tag',
      (s: ReturnType<typeof viemL2BlockSource>) => s.head('finalized'),
      'tag "finalized"',
    ],
    ['the safe tag', (s: ReturnType<typeof viemL2BlockSource>) => s.head('safe'), 'tag "safe"'],
    ['a block number', (s: ReturnType<typeof viemL2BlockSource>) => s.block(1234n), 'block 1234'],
  ])('refuses a pending block for %s, naming what was asked for', async (_name, read, requested) => {
    // Prepare
    const source = viemL2BlockSource(pendingOnly, new RpcRateLimiter(1000));
    // Act
    const reading = read(source);
    // Assess
    await expect(reading).rejects.toBeInstanceOf(PendingL2BlockError);
    await expect(reading).rejects.toMatchObject({ requested });
    await expect(reading).rejects.toThrow(requested);
  });
});
