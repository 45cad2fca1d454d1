import type { Chain, Client, PublicActions, Transport } from 'viem';
import { getBlock, getBlockNumber } from 'viem/actions';

/**
 * A viem client that reads blocks only: what the watcher calls on the L2. viem's `PublicClient`
 * and `ChainClient` are assignable to it; the watcher's bundle builds this one, without the
 * contract reads, gas estimates and transaction actions the proposer needs.
 */
export type BlockReadClient = Client<Transport, Chain | undefined> &
  Pick<PublicActions<Transport, Chain | undefined>, 'getBlock' | 'getBlockNumber'>;

/** Decorates `client` with `getBlock` and `getBlockNumber`, bound as viem's `publicActions` binds them. */
export function withBlockReads(client: Client<Transport, Chain | undefined>): BlockReadClient {
  const actions: Pick<PublicActions<Transport, Chain | undefined>, 'getBlock' | 'getBlockNumber'> = {
    getBlock: (args) => getBlock(client, args),
    getBlockNumber: (args) => getBlockNumber(client, args),
  };
  return client.extend(() => actions);
}
