import { createServer, type Server, type Socket } from 'node:net';
import { createPublicClient, custom, http, type PublicClient, zeroHash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import { sendTransaction } from '../../../lambdas/chain/tx-manager/send-transaction.js';
import { parseTxRecord, txRecordId } from '../../../lambdas/chain/tx-manager/tx-record.js';
import { recipient, sendValue, useTxManagerChains } from './tx-manager-fixture.js';

describe('transaction manager on anvil', () => {
  const { chains, l1, txDeps } = useTxManagerChains();
  let hung: Server;
  const sockets = new Set<Socket>();
  let hungUrl: string;

  beforeAll(async () => {
    // An endpoint that accepts connections and never answers: only a per-call timeout gets past it.
    hung = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const address = hung.address();
    hungUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  it('re-broadcasts a tx recorded by a run that crashed before sending it: one tx, no duplicate', async () => {
    // Prepare: the first run's broadcast dies (connection lost) after the record was written.
    const account = createLocalAccount(devAccountRoles.spareSigner);
    const store = new MemoryStateStore();
    const base = http(chains().l1.rpcUrl)({ chain: undefined, retryCount: 0 });
    const crashing = createPublicClient({
      transport: custom({
        async request({ method, params }) {
          if (method === 'eth_sendRawTransaction') throw new Error('process killed while sending');
          return base.request({ method, params });
        },
      }),
    });
    const nonceBefore = await l1().getTransactionCount({ address: account.address });
    const request = { intentId: 'crash/1', to: recipient, data: '0x', value: 5n } as const;
    await expect(
      sendTransaction(txDeps({ account, store, client: crashing as PublicClient }), {
        ...request,
        deadline: Date.now() + 5_000,
      }),
    ).rejects.toThrow(/process killed/);
    const recorded = parseTxRecord((await store.get(txRecordId(account.address, nonceBefore)))!);
    // Act
    const outcome = await sendTransaction(txDeps({ account, store }), {
      ...request,
      deadline: Date.now() + 20_000,
    });
    // Assess
    expect(outcome).toMatchObject({ status: 'mined', hash: recorded.attempts[0]!.hash, nonce: nonceBefore });
    expect(await l1().getTransactionCount({ address: account.address })).toBe(nonceBefore + 1);
  });

  it('fails over from a hung first endpoint to the second', async () => {
    // Prepare
    const client = createChainPublicClient({
      chainId: 900,
      name: 'l1',
      rpcUrls: [hungUrl, chains().l1.rpcUrl],
      rpcTimeoutMs: 300,
    });
    const account = createLocalAccount(devAccountRoles.spareSigner);
    // Act
    const outcome = await sendValue(txDeps({ account, client }), 'failover/1', 1n, 30_000);
    // Assess
    expect(outcome.status).toBe('mined');
    expect(zeroHash).not.toBe(outcome.status === 'mined' ? outcome.hash : zeroHash);
  });
});
