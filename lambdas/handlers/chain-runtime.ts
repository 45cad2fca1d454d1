import { SSMClient } from '@aws-sdk/client-ssm';
import type { Chain, Client, Transport } from 'viem';
import { createChainClient } from '../chain/rpc-transport.js';
import type { PipelineConfig } from '../core/config/schema.js';
import { memoizeByKey, once } from './memoize.js';
import { resolveRpcUrls } from './resolve-rpc-urls.js';

/**
 * RPC access to L1 and L2 (the watcher and the proposer): SSM for the URLs, viem for the calls.
 * `C` is the client with the actions the handler calls (see `chainRuntime`).
 */
export interface ChainRuntime<C> {
  /** RPC URLs of a chain (from the config, or its SSM SecureString parameter). */
  rpcUrls(chain: 'l1' | 'l2'): Promise<string[]>;
  publicClient(chain: 'l1' | 'l2'): Promise<C>;
}

/**
 * The chains' RPC URLs and clients, each built once per chain on first use. `withActions` adds the
 * actions the handler calls (`withBlockReads` for the watcher, `withChainActions` for the proposer):
 * the handler's bundle carries only those of viem's actions.
 */
export function chainRuntime<C>(
  config: PipelineConfig,
  withActions: (client: Client<Transport, Chain>) => C,
): ChainRuntime<C> {
  const ssm = once(() => new SSMClient({}));
  const rpcUrls = memoizeByKey((chain: 'l1' | 'l2') => resolveRpcUrls(config, chain, ssm));
  const publicClient = memoizeByKey(async (chain: 'l1' | 'l2') =>
    withActions(
      createChainClient({
        chainId: config.chains[chain].chainId,
        name: `${config.name}-${chain}`,
        rpcUrls: await rpcUrls(chain),
        rpcTimeoutMs: config.chains[chain].rpcTimeoutMs,
        maxHeadLagBlocks: config.chains[chain].maxHeadLagBlocks,
        headCheckIntervalMs: config.chains[chain].headCheckIntervalSeconds * 1000,
      }),
    ),
  );
  return { rpcUrls, publicClient };
}
