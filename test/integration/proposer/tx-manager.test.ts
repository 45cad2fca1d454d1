import { createServer, type Server, type Socket } from 'node:net';
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  encodeFunctionData,
  http,
  type PublicClient,
  parseEther,
  parseGwei,
  zeroHash,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sp1MockVerifierAbi } from '../../../lambdas/chain/abi/SP1MockVerifier.generated.js';
import { createKmsAccount } from '../../../lambdas/chain/kms-account.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { oracleConfigName } from '../../../lambdas/chain/oracle-reads.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import { txPolicyFromConfig } from '../../../lambdas/chain/tx-manager/fee-policy.js';
import { sendTransaction } from '../../../lambdas/chain/tx-manager/send-transaction.js';
import { parseTxRecord, txRecordId } from '../../../lambdas/chain/tx-manager/tx-record.js';
import type { TxManagerDeps } from '../../../lambdas/chain/tx-manager/types.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import { createFakeKms } from '../../unit/chain/fake-kms.js';
import { waitUntil } from './wait-until.js';

const proposerConfig = {
  maxFeePerGasGwei: 1000,
  maxPriorityFeePerGasGwei: 5,
  feeBumpPercent: 12,
  resubmissionTimeoutSeconds: 2,
  confirmations: 1,
};
const recipient: Address = '0x000000000000000000000000000000000000bEEF';

describe('transaction manager on anvil', () => {
  const chains = useDevChains({ submissionInterval: 2 });
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

  function l1(): PublicClient {
    return createChainPublicClient({
      chainId: 900,
      name: 'l1',
      rpcUrls: [chains().l1.rpcUrl],
      rpcTimeoutMs: 2000,
    });
  }

  function testClient() {
    return createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
  }

  function txDeps(overrides: Partial<TxManagerDeps> & Pick<TxManagerDeps, 'account'>): TxManagerDeps {
    return {
      store: new MemoryStateStore(),
      client: l1(),
      chainId: 900,
      policy: txPolicyFromConfig(proposerConfig, { pollIntervalMs: 50 }),
      clock: systemClock,
      logger: new MemoryLogger(),
      ...overrides,
    };
  }

  it('sends through a KMS account: anvil accepts it and `from` is the KMS-derived address', async () => {
    // Prepare
    const kms = createFakeKms({
      privateKey: '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
      highS: (i) => i % 2 === 0,
    });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    const funder = createWalletClient({
      account: devAccount(devAccountRoles.deployer),
      chain: localChain(900, chains().l1.rpcUrl),
      transport: http(chains().l1.rpcUrl),
    });
    await l1().waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
    });
    const deps = txDeps({ account });
    // Act
    const first = await sendTransaction(deps, {
      intentId: 'kms/1',
      to: recipient,
      data: '0x',
      value: 1n,
      deadline: Date.now() + 20_000,
    });
    const second = await sendTransaction(deps, {
      intentId: 'kms/2',
      to: recipient,
      data: '0x',
      value: 2n,
      deadline: Date.now() + 20_000,
    });
    // Assess
    expect(first.status).toBe('mined');
    expect(second.status).toBe('mined');
    if (first.status !== 'mined' || second.status !== 'mined') return;
    const tx1 = await l1().getTransaction({ hash: first.hash });
    const tx2 = await l1().getTransaction({ hash: second.hash });
    expect(tx1.from.toLowerCase()).toBe(account.address.toLowerCase());
    expect([tx1.nonce, tx2.nonce]).toEqual([0, 1]);
    expect(kms.signRequests.length).toBeGreaterThanOrEqual(2);
    for (const request of kms.signRequests) {
      expect(request).toMatchObject({
        KeyId: kms.keyId,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect((request.Message as Uint8Array).length).toBe(32);
    }
    kms.restore();
  });

  it('re-sends a transaction dropped from the mempool (same signed bytes)', async () => {
    // Prepare
    const account = createLocalAccount(3);
    const deps = txDeps({ account });
    const test = testClient();
    await test.setAutomine(false);
    try {
      // Act
      const sending = sendTransaction(deps, {
        intentId: 'drop/1',
        to: recipient,
        data: '0x',
        value: 1n,
        deadline: Date.now() + 30_000,
      });
      const id = txRecordId(account.address, await l1().getTransactionCount({ address: account.address }));
      const record = await waitUntil('the tx record', async () => {
        const item = await deps.store.get(id);
        return item === undefined ? undefined : parseTxRecord(item);
      });
      const hash = record.attempts[0]!.hash;
      await waitUntil('the tx in the pool', () =>
        l1()
          .getTransaction({ hash })
          .catch(() => undefined),
      );
      await test.dropTransaction({ hash });
      await waitUntil('the tx back in the pool', () =>
        l1()
          .getTransaction({ hash })
          .catch(() => undefined),
      );
      await test.mine({ blocks: 1 });
      const outcome = await sending;
      // Assess
      expect(outcome).toMatchObject({ status: 'mined', hash, attempts: 1 });
      const warnings = (deps.logger as MemoryLogger).at('warn').map((e) => e.message);
      expect(warnings.some((m) => m.includes('not in the mempool'))).toBe(true);
    } finally {
      await test.setAutomine(true);
    }
  });

  it('replaces an underpriced transaction with bumped tip and max fee at the same nonce', async () => {
    // Prepare
    const account = createLocalAccount(4);
    const deps = txDeps({ account });
    const test = testClient();
    await test.setAutomine(false);
    try {
      // Act
      const sending = sendTransaction(deps, {
        intentId: 'bump/1',
        to: recipient,
        data: '0x',
        value: 1n,
        deadline: Date.now() + 30_000,
      });
      const nonce = await l1().getTransactionCount({ address: account.address });
      const id = txRecordId(account.address, nonce);
      const first = await waitUntil('the tx record', async () => {
        const item = await deps.store.get(id);
        return item === undefined ? undefined : parseTxRecord(item);
      });
      await waitUntil('the tx in the pool', () =>
        l1()
          .getTransaction({ hash: first.attempts[0]!.hash })
          .catch(() => undefined),
      );
      // The base fee jumps above what the first attempt offers: the next block leaves it out.
      await test.setNextBlockBaseFeePerGas({ baseFeePerGas: parseGwei('50') });
      await test.mine({ blocks: 1 });
      const bumped = await waitUntil('a replacement attempt', async () => {
        const record = parseTxRecord((await deps.store.get(id))!);
        return record.attempts.length >= 2 ? record : undefined;
      });
      await waitUntil('the replacement in the pool', () =>
        l1()
          .getTransaction({ hash: bumped.attempts[1]!.hash })
          .catch(() => undefined),
      );
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
    } finally {
      await test.setAutomine(true);
    }
  });

  it('reports a mined revert with its decoded reason', async () => {
    // Prepare: a proposal with non-empty proof bytes, which the mock verifier refuses; a fixed gas
    // limit skips estimation so the tx is really mined and reverts on chain.
    const { oracleAddress } = chains();
    const account = createLocalAccount(devAccountRoles.proposer);
    const deps = txDeps({ account });
    const l1Head = await l1().getBlockNumber();
    const checkpoint = await sendTransaction(deps, {
      intentId: `checkpoint/${l1Head}`,
      to: oracleAddress,
      data: encodeFunctionData({
        abi: opSuccinctL2OutputOracleAbi,
        functionName: 'checkpointBlockHash',
        args: [l1Head],
      }),
      deadline: Date.now() + 20_000,
    });
    expect(checkpoint.status).toBe('mined');
    const next = await l1().readContract({
      address: oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'nextBlockNumber',
    });
    const data = encodeFunctionData({
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'proposeL2Output',
      args: [
        oracleConfigName('opsuccinct_genesis'),
        `0x${'11'.repeat(32)}`,
        next,
        l1Head,
        '0x01',
        account.address,
      ],
    });
    // Act
    const outcome = await sendTransaction(deps, {
      intentId: 'revert/1',
      to: oracleAddress,
      data,
      gas: 500_000n,
      abi: [...opSuccinctL2OutputOracleAbi, ...sp1MockVerifierAbi],
      deadline: Date.now() + 20_000,
    });
    const simulated = await sendTransaction(deps, {
      intentId: 'revert/2',
      to: oracleAddress,
      data,
      abi: opSuccinctL2OutputOracleAbi,
      deadline: Date.now() + 20_000,
    });
    // Assess
    expect(outcome).toMatchObject({
      status: 'reverted',
      simulated: false,
      reason: 'SP1MockVerifier: proof bytes must be empty',
    });
    expect(simulated).toMatchObject({
      status: 'reverted',
      simulated: true,
      reason: 'SP1MockVerifier: proof bytes must be empty',
    });
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
    const outcome = await sendTransaction(txDeps({ account, client }), {
      intentId: 'failover/1',
      to: recipient,
      data: '0x',
      value: 1n,
      deadline: Date.now() + 30_000,
    });
    // Assess
    expect(outcome.status).toBe('mined');
    expect(zeroHash).not.toBe(outcome.status === 'mined' ? outcome.hash : zeroHash);
  });
});
