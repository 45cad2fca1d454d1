import { createPublicClient, defineChain, fallback, http, type PublicClient, type Transport } from 'viem';
import { PipelineError } from '../core/errors.js';

export interface RpcEndpoints {
  /** Endpoints in order of preference; the next is used when one fails or times out. */
  readonly rpcUrls: readonly string[];
  /** Per-request timeout: a hung endpoint costs at most this long before the next is tried. */
  readonly rpcTimeoutMs: number;
  /**
   * Rounds over the whole list before a request fails (viem `fallback` retryCount).
   * @default 1
   */
  readonly retryCount?: number;
  /** @default 150 */
  readonly retryDelayMs?: number;
}

/**
 * A viem transport over a list of RPC endpoints: each request goes to the first endpoint and
 * falls over to the next on a transport error or a timeout (`rpcTimeoutMs` per call, so a hung
 * endpoint never freezes a caller). Reverts and other answers from a node are not failed over.
 *
 * @example
 * const client = createPublicClient({ transport: createRpcTransport(config.chains.l1) });
 */
export function createRpcTransport(endpoints: RpcEndpoints): Transport {
  if (endpoints.rpcUrls.length === 0) throw new PipelineError('createRpcTransport: no RPC URLs given');
  const transports = endpoints.rpcUrls.map((url) =>
    http(url, { timeout: endpoints.rpcTimeoutMs, retryCount: 0 }),
  );
  return fallback(transports, {
    rank: false,
    retryCount: endpoints.retryCount ?? 1,
    retryDelay: endpoints.retryDelayMs ?? 150,
  });
}

/**
 * A public client for one chain of the pipeline config (`chains.l1` or `chains.l2`) over
 * `createRpcTransport`. `rpcUrls` are passed in resolved form: on AWS they come from the SSM
 * parameter named by `rpcUrlsParameter`, which the composition root reads once.
 */
export function createChainPublicClient(parameters: {
  chainId: number;
  name: string;
  rpcUrls: readonly string[];
  rpcTimeoutMs: number;
}): PublicClient {
  const chain = defineChain({
    id: parameters.chainId,
    name: parameters.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [...parameters.rpcUrls] } },
  });
  return createPublicClient({ chain, transport: createRpcTransport(parameters), pollingInterval: 500 });
}
