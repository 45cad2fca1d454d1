import { type Abi, type Address, BaseError, decodeErrorResult, type Hex, stringify } from 'viem';
import type { ChainClient as PublicClient } from '../chain-client.js';

/**
 * A readable revert reason from a failed call or estimate: `Error(string)` → the string, a custom
 * error known to `abi` → `Name(args)`, a Panic → `Panic(code)`, otherwise the raw data or the
 * node's message.
 */
export function revertReasonFromError(error: unknown, abi: Abi = []): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as {
    data?: Hex;
  } | null;
  const data = withData?.data;
  if (data !== undefined && data.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      if (decoded.errorName === 'Error') return String(decoded.args?.[0] ?? '');
      const args = (decoded.args ?? []).map((a) => (typeof a === 'string' ? a : stringify(a))).join(', ');
      return `${decoded.errorName}(${args})`;
    } catch {
      return `unknown revert data ${data}`;
    }
  }
  const reverted = error.walk((e) => typeof (e as { reason?: unknown }).reason === 'string') as {
    reason?: string;
  } | null;
  return reverted?.reason ?? error.shortMessage;
}

/**
 * Why a mined transaction reverted: the node does not keep revert data, so the same call is
 * replayed against the state before its block and the revert is decoded.
 */
export async function replayRevertReason(
  client: PublicClient,
  tx: { from: Address; to: Address; data: Hex; value: bigint; gas: bigint; blockNumber: bigint },
  abi: Abi = [],
): Promise<string> {
  try {
    await client.call({
      account: tx.from,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      gas: tx.gas,
      blockNumber: tx.blockNumber - 1n,
    });
    return 'reverted on chain, but the replayed call succeeds (the state before the tx differed)';
  } catch (error) {
    return revertReasonFromError(error, abi);
  }
}
