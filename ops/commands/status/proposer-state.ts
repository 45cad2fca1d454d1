import type { Address } from 'viem';
import type { ChainClient } from '../../../lambdas/chain/chain-client.js';
import { LEASE_KIND } from '../../../lambdas/chain/tx-manager/signer-lease.js';
import { parseTxRecord, TX_KIND } from '../../../lambdas/chain/tx-manager/tx-record.js';
import type { StateStore } from '../../../lambdas/core/ports/state-store.js';

/** The proposer as the status shows it. */
export interface ProposerState {
  readonly address: Address;
  readonly balanceWei: bigint;
  /** `lease/<signer>` items still held: who runs the proposer now, and until when. */
  readonly leases: readonly { readonly id: string; readonly owner: string; readonly expiresAt: string }[];
  /** `tx/<signer>/<nonce>` records still `sent`: the next proposer run settles them first. */
  readonly openTransactions: readonly {
    readonly id: string;
    readonly nonce: number;
    readonly intentId: string;
    readonly hash: string;
    readonly maxFeePerGas: bigint;
    readonly maxPriorityFeePerGas: bigint;
    readonly sentAt: string;
  }[];
  /** `proposer-wait/<signer>` items in `waiting`: the proposer cannot propose until a person acts. */
  readonly waits: readonly {
    readonly id: string;
    readonly reason: string;
    readonly message: string;
    readonly since: string;
  }[];
}

/** Reads the proposer's balance on L1 and its lease, open transactions and waits from the state table. */
export async function readProposerState(
  store: StateStore,
  l1: ChainClient,
  address: Address,
): Promise<ProposerState> {
  const [balanceWei, leases, sent, waits] = await Promise.all([
    l1.getBalance({ address }),
    store.list(LEASE_KIND, 'held'),
    store.list(TX_KIND, 'sent'),
    store.list('proposer-wait', 'waiting'),
  ]);
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    address,
    balanceWei,
    leases: leases.map((item) => ({
      id: item.id,
      owner: text(item.data.owner),
      expiresAt: text(item.data.expiresAt),
    })),
    openTransactions: sent.map(parseTxRecord).map((record) => {
      const last = record.attempts[record.attempts.length - 1];
      return {
        id: record.id,
        nonce: record.nonce,
        intentId: record.intentId,
        hash: last?.hash ?? '',
        maxFeePerGas: last?.maxFeePerGas ?? 0n,
        maxPriorityFeePerGas: last?.maxPriorityFeePerGas ?? 0n,
        sentAt: last?.sentAt ?? '',
      };
    }),
    waits: waits.map((item) => ({
      id: item.id,
      reason: text(item.data.reason),
      message: text(item.data.message),
      since: text(item.data.since),
    })),
  };
}
