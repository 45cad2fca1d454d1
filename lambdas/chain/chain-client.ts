import type { Chain, Client, PublicActions, Transport } from 'viem';
import {
  call,
  estimateGas,
  estimateMaxPriorityFeePerGas,
  getBalance,
  getBlock,
  getBlockNumber,
  getTransaction,
  getTransactionCount,
  getTransactionReceipt,
  readContract,
  sendRawTransaction,
} from 'viem/actions';

/** The public actions the watcher, the proposer and its transaction manager call on a chain. */
type ChainActionName =
  | 'call'
  | 'estimateGas'
  | 'estimateMaxPriorityFeePerGas'
  | 'getBalance'
  | 'getBlock'
  | 'getBlockNumber'
  | 'getTransaction'
  | 'getTransactionCount'
  | 'getTransactionReceipt'
  | 'readContract'
  | 'sendRawTransaction';

/**
 * A viem client with only the public actions the pipeline calls. viem's `PublicClient` is
 * assignable to it (tests and tools pass one); the Lambda bundles build this one instead, as
 * `createPublicClient`'s decorator pulls every public action (ENS, CCIP, simulation, watchers,
 * signature checks) into the bundle.
 */
export type ChainClient = Client<Transport, Chain | undefined> &
  Pick<PublicActions<Transport, Chain | undefined>, ChainActionName>;

/**
 * Decorates `client` with the chain actions, each bound as `publicActions` binds it (viem's actions
 * call one another through the client, so an action it lacks falls back to the imported one).
 */
export function withChainActions(client: Client<Transport, Chain | undefined>): ChainClient {
  const actions: Pick<PublicActions<Transport, Chain | undefined>, ChainActionName> = {
    call: (args) => call(client, args),
    estimateGas: (args) => estimateGas(client, args),
    estimateMaxPriorityFeePerGas: (args) => estimateMaxPriorityFeePerGas(client, args),
    getBalance: (args) => getBalance(client, args),
    getBlock: (args) => getBlock(client, args),
    getBlockNumber: (args) => getBlockNumber(client, args),
    getTransaction: (args) => getTransaction(client, args),
    getTransactionCount: (args) => getTransactionCount(client, args),
    getTransactionReceipt: (args) => getTransactionReceipt(client, args),
    readContract: (args) => readContract(client, args),
    sendRawTransaction: (args) => sendRawTransaction(client, args),
  };
  return client.extend(() => actions);
}
