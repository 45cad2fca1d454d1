import { createPublicClient, type Hex, http } from 'viem';
import { devAccount, devAccountRoles } from './dev-accounts.js';
import { DevChainError } from './errors.js';

/** One reorg `reorgChain` made: the block at `height` was `oldHash` and is `newHash` now. */
export interface ChainReorg {
  /** Blocks replaced (the head and the `depth - 1` blocks below it). */
  readonly depth: number;
  /** The head height before the reorg; the head after it is at this height or above. */
  readonly height: bigint;
  readonly oldHash: Hex;
  readonly newHash: Hex;
  /** The common ancestor: the highest block the reorg kept (`height - depth`). */
  readonly ancestor: bigint;
}

/**
 * Replaces the last `depth` blocks of an anvil chain with a branch that really differs: anvil's
 * `anvil_reorg` rolls back to the block `depth` below the head and mines `depth` new blocks, the first of
 * which holds a 1-wei self-transfer of the `reorgBranch` dev account (its nonce is the ancestor's, so
 * the sender's balance and nonce, the state root and every hash above the ancestor change). The branch
 * is as long as the old one, so the head height is kept.
 *
 * What anvil 1.7.1 does with the transactions of the replaced blocks: it drops them. They are not put
 * back into the pool, their receipts and `eth_getTransactionByHash` answer "not found", and the senders'
 * nonces go back to the ancestor's; a sender must send again (the same nonce is free).
 *
 * @throws DevChainError when the chain is shorter than `depth` blocks above genesis, or anvil refuses the reorg.
 *
 * @example
 * const reorg = await reorgChain(l1.rpcUrl, 3); // reorg.oldHash !== reorg.newHash
 */
export async function reorgChain(rpcUrl: string, depth: number): Promise<ChainReorg> {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new DevChainError(`reorg depth must be an integer ≥ 1, got ${depth}`);
  }
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 5_000 }) });
  const head = await client.getBlock({ blockTag: 'latest' });
  if (head.number < BigInt(depth)) {
    throw new DevChainError(`cannot reorg ${depth} blocks: the chain is at block ${head.number}`, {
      details: 'a reorg keeps the genesis block; wait for more blocks',
    });
  }
  const sender = devAccount(devAccountRoles.reorgBranch).address;
  const selfTransfer = { from: sender, to: sender, value: '0x1' };
  try {
    // Position 0: the first block of the branch, so that every new block differs from the old one.
    await client.request({
      method: 'anvil_reorg',
      params: [depth, [[selfTransfer, 0]]],
    } as never);
  } catch (cause) {
    throw new DevChainError(`anvil_reorg of depth ${depth} at block ${head.number} failed`, { cause });
  }
  const replaced = await client.getBlock({ blockNumber: head.number });
  return {
    depth,
    height: head.number,
    oldHash: head.hash,
    newHash: replaced.hash,
    ancestor: head.number - BigInt(depth),
  };
}
