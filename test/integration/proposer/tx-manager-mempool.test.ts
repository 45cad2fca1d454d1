import { parseGwei } from 'viem';
import { describe, expect, it } from 'vitest';
import type { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { parseTxRecord, txRecordId } from '../../../lambdas/chain/tx-manager/tx-record.js';
import { sendValue, useTxManagerChains } from './tx-manager-fixture.js';
import { waitUntil } from './wait-until.js';

describe('transaction manager on anvil', () => {
  const { l1, withoutAutomine, txDeps, storedRecord, inPool } = useTxManagerChains();

  it('re-sends a transaction dropped from the mempool (same signed bytes)', async () => {
    // Prepare
    const account = createLocalAccount(3);
    const deps = txDeps({ account });
    await withoutAutomine(async (test) => {
      // Act
      const sending = sendValue(deps, 'drop/1', 1n, 30_000);
      const id = txRecordId(account.address, await l1().getTransactionCount({ address: account.address }));
      const record = await storedRecord(deps, id);
      const hash = record.attempts[0]!.hash;
      await inPool('the tx in the pool', hash);
      await test.dropTransaction({ hash });
      await inPool('the tx back in the pool', hash);
      await test.mine({ blocks: 1 });
      const outcome = await sending;
      // Assess
      expect(outcome).toMatchObject({ status: 'mined', hash, attempts: 1 });
      const warnings = (deps.logger as MemoryLogger).at('warn').map((e) => e.message);
      expect(warnings.some((m) => m.includes('not in the mempool'))).toBe(true);
    });
  });

  it('replaces an underpriced transaction with bumped tip and max fee at the same nonce', async () => {
    // Prepare
    const account = createLocalAccount(4);
    const deps = txDeps({ account });
    await withoutAutomine(async (test) => {
      // Act
      const sending = sendValue(deps, 'bump/1', 1n, 30_000);
      const nonce = await l1().getTransactionCount({ address: account.address });
      const id = txRecordId(account.address, nonce);
      const first = await storedRecord(deps, id);
      await inPool('the tx in the pool', first.attempts[0]!.hash);
      // The base fee jumps above what the first attempt offers: the next block leaves it out.
      await test.setNextBlockBaseFeePerGas({ baseFeePerGas: parseGwei('50') });
      await test.mine({ blocks: 1 });
      const bumped = await waitUntil('a replacement attempt', async () => {
        const record = parseTxRecord((await deps.store.get(id))!);
        return record.attempts.length >= 2 ? record : undefined;
      });
      await inPool('the replacement in the pool', bumped.attempts[1]!.hash);
      await test.mine({ blocks: 1 });
      const outcome = await sending;
      // Assess
      const [a0, a1] = [bumped.attempts[0]!, bumped.attempts[1]!];
      expect(a0.maxFeePerGas).toBeLessThan(parseGwei('50'));
      expect(a1.maxPriorityFeePerGas * 100n).toBeGreaterThanOrEqual(a0.maxPriorityFeePerGas * 112n);
      expect(a1.maxFeePerGas * 100n).toBeGreaterThanOrEqual(a0.maxFeePerGas * 112n);
      expect(a1.maxFeePerGas).toBeGreaterThanOrEqual(parseGwei('100'));
      expect(outcome.status).toBe('mined');
      if (outcome.status !== 'mined') return;
      expect(outcome.hash).toBe(a1.hash);
      expect(outcome.nonce).toBe(nonce);
      await expect(l1().getTransactionReceipt({ hash: a0.hash })).rejects.toThrow();
    });
  });
});
