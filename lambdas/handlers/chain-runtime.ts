import { SSMClient } from '@aws-sdk/client-ssm';
import type { PublicClient } from 'viem';
import { createChainPublicClient } from '../chain/rpc-transport.js';
import type { PipelineConfig } from '../core/config/schema.js';
import { memoizeByKey, once } from './memoize.js';
import { resolveRpcUrls } from './resolve-rpc-urls.js';

/** RPC access to L1 and L2 (the watcher and the proposer): SSM for the URLs, viem for the calls. */
export interface ChainRuntime {
  /** RPC URLs of a chain (from the config, or its SSM SecureString parameter). */
  rpcUrls(chain: 'l1' | 'l2'): Promise<string[]>;
  publicClient(chain: 'l1' | 'l2'): Promise<PublicClient>;
}

/** The chains' RPC URLs and public clients, each built once per chain on first use. */
export function chainRuntime(config: PipelineConfig): ChainRuntime {
  const ssm = once(() => new SSMClient({}));
  const rpcUrls = memoizeByKey((chain: 'l1' | 'l2') => resolveRpcUrls(config, chain, ssm));
  const publicClient = memoizeByKey(async (chain: 'l1' | 'l2') =>
    createChainPublicClient({
      chainId: config.chains[chain].chainId,
      name: `${config.name}-${chain}`,
      rpcUrls: await rpcUrls(chain),
      rpcTimeoutMs: config.chains[chain].rpcTimeoutMs,
      maxHeadLagBlocks: config.chains[chain].maxHeadLagBlocks,
      headCheckIntervalMs: config.chains[chain].headCheckIntervalSeconds * 1000,
    }),
  );
  return { rpcUrls, publicClient };
}
