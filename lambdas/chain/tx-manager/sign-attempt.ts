import { keccak256 } from 'viem';
import type { Fees } from './fee-policy.js';
import type { TxAttempt, TxManagerDeps, TxRecord } from './types.js';

/** Signs the record's call as an EIP-1559 tx at its nonce with `fees`: one attempt, not yet sent. */
export async function signAttempt(
  deps: Pick<TxManagerDeps, 'account' | 'chainId' | 'clock'>,
  record: Pick<TxRecord, 'nonce' | 'to' | 'data' | 'value' | 'gas'>,
  fees: Fees,
): Promise<TxAttempt> {
  const raw = await deps.account.signTransaction({
    type: 'eip1559',
    chainId: deps.chainId,
    nonce: record.nonce,
    to: record.to,
    data: record.data,
    value: record.value,
    gas: record.gas,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  return { hash: keccak256(raw), raw, ...fees, sentAt: deps.clock.now().toISOString() };
}
