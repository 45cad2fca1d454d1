import { createPublicClient, createTestClient, custom, type Hex, http, type PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { resumeOpenTransactions } from '../../../lambdas/chain/tx-manager/resume-open-transactions.js';
import { parseTxRecord, txRecordId } from '../../../lambdas/chain/tx-manager/tx-record.js';
import { sendValue, useTxManagerChains } from './tx-manager-fixture.js';

describe('transaction manager: a mined tx taken off L1 by a reorg', () => {
  const { chains, l1, txDeps } = useTxManagerChains();

  /** A client that records the raw txs it broadcasts. */
  function recordingClient(sent: Hex[]): PublicClient {
    const base = http(chains().l1.rpcUrl)({ chain: undefined, retryCount: 0 });
    return createPublicClient({
      transport: custom({
        async request({ method, params }) {
          if (method === 'eth_sendRawTransaction') sent.push((params as Hex[])[0]!);
          return base.request({ method, params });
        },
      }),
    }) as PublicClient;
  }

  it('re-sends the same signed tx at the same nonce, and the next intent gets the next nonce', async () => {
    // Prepare: a tx mined and settled, then the block holding it reverted away (a new branch mined)
    const account = createLocalAccount(devAccountRoles.spareSigner);
    const store = new MemoryStateStore();
    const test = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    const nonce = await l1().getTransactionCount({ address: account.address });
    const snapshot = await test.snapshot();
    const first = await sendValue(txDeps({ account, store }), 'pay/1', 11n, 20_000);
    expect(first.status).toBe('mined');
    const recorded = parseTxRecord((await store.get(txRecordId(account.address, nonce)))!);
    await test.revert({ id: snapshot });
    await test.mine({ blocks: 2 });
    expect(await l1().getTransactionCount({ address: account.address })).toBe(nonce);
    const sent: Hex[] = [];
    const deps = txDeps({ account, store, client: recordingClient(sent) });
    // Act
    const second = await sendValue(deps, 'pay/2', 22n, 20_000);
    // Assess: the old intent's raw tx went out again first, at its nonce; the new one took the next
    expect(sent[0]).toBe(recorded.attempts[0]!.raw);
    expect(second).toMatchObject({ status: 'mined', nonce: nonce + 1 });
    const again = parseTxRecord((await store.get(txRecordId(account.address, nonce)))!);
    expect(again).toMatchObject({ intentId: 'pay/1', status: 'mined' });
    expect(again.outcome).toMatchObject({ status: 'mined', hash: recorded.attempts[0]!.hash });
    const onChain = await l1().getTransaction({ hash: recorded.attempts[0]!.hash });
    expect(onChain.nonce).toBe(nonce);
    expect(await l1().getTransactionCount({ address: account.address })).toBe(nonce + 2);
  });

  it('classifies a reorged-out tx whose nonce another tx took on the new branch as replaced', async () => {
    // Prepare: our tx mined, reverted away, and the new branch holds another tx at that nonce
    const account = createLocalAccount(devAccountRoles.spareSigner);
    const store = new MemoryStateStore();
    const test = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    const nonce = await l1().getTransactionCount({ address: account.address });
    const snapshot = await test.snapshot();
    expect((await sendValue(txDeps({ account, store }), 'pay/3', 33n, 20_000)).status).toBe('mined');
    await test.revert({ id: snapshot });
    await sendValue(txDeps({ account }), 'elsewhere/1', 44n, 20_000);
    // Act
    const outcomes = await resumeOpenTransactions(txDeps({ account, store }), {
      deadline: Date.now() + 20_000,
    });
    // Assess
    expect(outcomes).toEqual([expect.objectContaining({ status: 'replaced', intentId: 'pay/3', nonce })]);
    expect((await store.get(txRecordId(account.address, nonce)))?.status).toBe('replaced');
  });
});
