import { type Address, createTestClient, type Hash, http } from 'viem';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import type { ChainClient } from '../../../lambdas/chain/chain-client.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import { txPolicyFromConfig } from '../../../lambdas/chain/tx-manager/fee-policy.js';
import { sendTransaction } from '../../../lambdas/chain/tx-manager/send-transaction.js';
import { parseTxRecord } from '../../../lambdas/chain/tx-manager/tx-record.js';
import type { TxManagerDeps, TxOutcome, TxRecord } from '../../../lambdas/chain/tx-manager/types.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import { waitUntil } from './wait-until.js';

const proposerConfig = {
  maxFeePerGasGwei: 1000,
  maxPriorityFeePerGasGwei: 5,
  feeBumpPercent: 12,
  resubmissionTimeoutSeconds: 2,
  confirmations: 1,
};
export const recipient: Address = '0x000000000000000000000000000000000000bEEF';

/** Sends `value` wei with empty calldata to `recipient` as intent `intentId`, with a deadline `timeoutMs` away. */
export function sendValue(
  deps: TxManagerDeps,
  intentId: string,
  value: bigint,
  timeoutMs: number,
): Promise<TxOutcome> {
  return sendTransaction(deps, {
    intentId,
    to: recipient,
    data: '0x',
    value,
    deadline: Date.now() + timeoutMs,
  });
}

type TestClient = ReturnType<typeof createTestClient>;

/** Dev chains for the calling `describe` (started once), with clients and tx-manager deps on their L1. */
export interface TxManagerChains {
  readonly chains: () => DevChains;
  /** A public client on the L1 (2 s per-call timeout). */
  readonly l1: () => ChainClient;
  /** Runs `body` with an anvil test client on the L1 and automine off (`body` mines), then turns it on again. */
  readonly withoutAutomine: <T>(body: (test: TestClient) => Promise<T>) => Promise<T>;
  /** Tx-manager deps on the L1 with a fresh in-memory store and logger; `overrides` swap single parts. */
  readonly txDeps: (overrides: Partial<TxManagerDeps> & Pick<TxManagerDeps, 'account'>) => TxManagerDeps;
  /** Waits until the tx record `id` is stored and returns it parsed. */
  readonly storedRecord: (deps: TxManagerDeps, id: string) => Promise<TxRecord>;
  /** Waits until the L1 node knows the transaction `hash` (in its pool or mined). */
  readonly inPool: (what: string, hash: Hash) => Promise<unknown>;
}

/** Registers the dev chains' hooks in the calling `describe` (submission interval 2). */
export function useTxManagerChains(): TxManagerChains {
  const chains = useDevChains({ submissionInterval: 2 });

  function l1(): ChainClient {
    return createChainPublicClient({
      chainId: 900,
      name: 'l1',
      rpcUrls: [chains().l1.rpcUrl],
      rpcTimeoutMs: 2000,
    });
  }

  async function withoutAutomine<T>(body: (test: TestClient) => Promise<T>): Promise<T> {
    const test = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    await test.setAutomine(false);
    try {
      return await body(test);
    } finally {
      await test.setAutomine(true);
    }
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

  function storedRecord(deps: TxManagerDeps, id: string): Promise<TxRecord> {
    return waitUntil('the tx record', async () => {
      const item = await deps.store.get(id);
      return item === undefined ? undefined : parseTxRecord(item);
    });
  }

  function inPool(what: string, hash: Hash): Promise<unknown> {
    return waitUntil(what, () =>
      l1()
        .getTransaction({ hash })
        .catch(() => undefined),
    );
  }

  return { chains, l1, withoutAutomine, txDeps, storedRecord, inPool };
}
