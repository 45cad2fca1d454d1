import {
  type Chain,
  type Client,
  createClient,
  createTransport,
  defineChain,
  type EIP1193RequestFn,
  http,
  type Transport,
} from 'viem';
import { PipelineError } from '../core/errors.js';
import { type ChainClient, withChainActions } from './chain-client.js';
import { redactUrlsInText } from './redact-rpc-urls.js';
import { RpcEndpointHealth } from './rpc-endpoint-health.js';
import { type PooledEndpoint, RpcEndpointPool } from './rpc-endpoint-pool.js';

export interface RpcEndpoints {
  /** Endpoints in order of preference; the next is used when one fails or times out. */
  readonly rpcUrls: readonly string[];
  /** Per-request timeout: a hung endpoint costs at most this long before the next is tried. */
  readonly rpcTimeoutMs: number;
  /**
   * Names the chain in errors: `L1` gives `L1 endpoint #2 (https://host/<redacted-url>)`.
   * @default 'RPC'
   */
  readonly label?: string;
  /**
   * Rounds over the whole list before a request fails.
   * @default 1
   */
  readonly retryCount?: number;
  /** @default 150 */
  readonly retryDelayMs?: number;
  /**
   * An endpoint whose `eth_blockNumber` is more than this many blocks behind the best endpoint's is
   * used only when the others fail (what proxyd's consensus mode does).
   * @default 10
   */
  readonly maxHeadLagBlocks?: number;
  /** @default 30000 */
  readonly headCheckIntervalMs?: number;
  /** Backoff after an endpoint's first failure, doubled per further failure up to 60 s. @default 1000 */
  readonly failureBackoffMs?: number;
  /** Endpoints whose mean latencies are this close keep configured order. @default 250 */
  readonly latencyToleranceMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Doubling of an endpoint's failure backoff stops here. */
const MAX_FAILURE_BACKOFF_MS = 60_000;

/**
 * A viem transport over a list of RPC endpoints (`RpcEndpointPool`): each request goes to the
 * best-standing endpoint (healthy before backing off before lagging, then faster, then configured
 * order) and falls over to the next on a timeout (`rpcTimeoutMs` per call), an HTTP or connection
 * error, a rate limit or a garbled answer. A hanging endpoint costs one timeout and then backs off; a
 * `Retry-After` is honoured; an endpoint more than `maxHeadLagBlocks` behind the others is used last.
 * Reverts and user rejections are not failed over. When every endpoint failed, the error is an
 * `RpcEndpointsFailedError` naming each endpoint by `label`, position and redacted URL.
 *
 * @example
 * const client = createPublicClient({ transport: createRpcTransport({ ...config.chains.l1, label: 'L1' }) });
 */
export function createRpcTransport(endpoints: RpcEndpoints): Transport {
  if (endpoints.rpcUrls.length === 0) throw new PipelineError('createRpcTransport: no RPC URLs given');
  const label = endpoints.label ?? 'RPC';
  const healthSettings = {
    failureBackoffMs: endpoints.failureBackoffMs ?? 1000,
    maxFailureBackoffMs: MAX_FAILURE_BACKOFF_MS,
  };
  const pooled = endpoints.rpcUrls.map((url, index): PooledEndpoint => {
    const name = `${label} endpoint #${index + 1} (${redactUrlsInText(url)})`;
    const single = http(url, { timeout: endpoints.rpcTimeoutMs, retryCount: 0 })({ retryCount: 0 });
    return {
      health: new RpcEndpointHealth(index, name, healthSettings),
      request: (request) => single.request(request as Parameters<typeof single.request>[0]),
    };
  });
  const pool = new RpcEndpointPool(pooled, {
    label,
    rpcTimeoutMs: endpoints.rpcTimeoutMs,
    retryCount: endpoints.retryCount ?? 1,
    retryDelayMs: endpoints.retryDelayMs ?? 150,
    maxHeadLagBlocks: BigInt(endpoints.maxHeadLagBlocks ?? 10),
    headCheckIntervalMs: endpoints.headCheckIntervalMs ?? 30_000,
    latencyToleranceMs: endpoints.latencyToleranceMs ?? 250,
    now: endpoints.now ?? Date.now,
  });
  // The pool makes its own rounds; viem's retry on top would multiply them.
  return () =>
    createTransport({
      key: 'rpcEndpoints',
      name: `${label} RPC endpoints`,
      type: 'rpcEndpoints',
      // The answer is viem's to type (it asked for `method`), as with any EIP-1193 transport.
      request: ((request) => pool.request(request)) as EIP1193RequestFn,
      retryCount: 0,
      timeout: endpoints.rpcTimeoutMs,
    });
}

/** One chain of the pipeline config (`chains.l1` or `chains.l2`) with its RPC URLs resolved. */
export interface ChainRpc {
  readonly chainId: number;
  readonly name: string;
  readonly rpcUrls: readonly string[];
  readonly rpcTimeoutMs: number;
  readonly maxHeadLagBlocks?: number;
  readonly headCheckIntervalMs?: number;
}

/**
 * A bare viem client (no actions) for one chain over `createRpcTransport`: each handler's root
 * decorates it with the actions it calls (`withBlockReads`, `withChainActions`). `rpcUrls` are passed
 * in resolved form: on AWS they come from the SSM parameter named by `rpcUrlsParameter`, which the
 * composition root reads once.
 */
export function createChainClient(parameters: ChainRpc): Client<Transport, Chain> {
  const chain = defineChain({
    id: parameters.chainId,
    name: parameters.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [...parameters.rpcUrls] } },
  });
  const transport = createRpcTransport({ ...parameters, label: parameters.name });
  return createClient({ chain, transport, pollingInterval: 500 });
}

/** `createChainClient` with every action the pipeline calls (`ChainClient`), for the proposer and tools. */
export function createChainPublicClient(parameters: ChainRpc): ChainClient {
  return withChainActions(createChainClient(parameters));
}
