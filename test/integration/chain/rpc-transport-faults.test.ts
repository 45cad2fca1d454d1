import { readFileSync } from 'node:fs';
import { createPublicClient, createTestClient, http, type PublicClient } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import {
  createChainPublicClient,
  createRpcTransport,
  type RpcEndpoints,
} from '../../../lambdas/chain/rpc-transport.js';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { type FaultyRpcProxy, startFaultyRpcProxy } from '../../support/chains/faulty-rpc-proxy.js';

const TIMEOUT_MS = 400;
const CALLS = 10;

const requestsTo = (proxy: FaultyRpcProxy): number =>
  [...proxy.requests.values()].reduce((sum, count) => sum + count, 0);

describe('createRpcTransport against faulty endpoints (anvil behind fault proxies)', () => {
  let anvil: AnvilInstance;
  let proxies: FaultyRpcProxy[] = [];

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 31_337 });
    await createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) }).mine({ blocks: 30 });
  });

  afterAll(async () => {
    await anvil?.stop();
  });

  afterEach(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    proxies = [];
  });

  const proxy = async (options?: Parameters<typeof startFaultyRpcProxy>[1]) => {
    const started = await startFaultyRpcProxy(anvil.rpcUrl, options);
    proxies.push(started);
    return started;
  };
  const client = (endpoints: Partial<RpcEndpoints> & Pick<RpcEndpoints, 'rpcUrls'>): PublicClient =>
    createPublicClient({ transport: createRpcTransport({ rpcTimeoutMs: TIMEOUT_MS, ...endpoints }) });

  it(`sends a hanging primary at most one request over ${CALLS} calls, not one per call`, async () => {
    // Prepare
    const [primary, secondary] = [await proxy(), await proxy()];
    primary.setFault('hang');
    const l1 = client({ rpcUrls: [primary.url, secondary.url] });

    // Act
    const started = Date.now();
    for (let call = 0; call < CALLS; call += 1) await l1.getBlockNumber({ cacheTime: 0 });
    const elapsedMs = Date.now() - started;

    // Assess
    console.info(`${CALLS} calls with a hanging primary: ${elapsedMs} ms (timeout ${TIMEOUT_MS} ms)`);
    expect(requestsTo(primary)).toBe(1);
    expect(secondary.requests.get('eth_blockNumber')).toBeGreaterThanOrEqual(CALLS);
  });

  it('honours Retry-After: a rate-limited primary is not asked again until it has passed', async () => {
    // Prepare: failures alone would back the primary off for only 1 ms.
    const [limited, secondary] = [await proxy({ retryAfterSeconds: 30 }), await proxy()];
    limited.setFault('rate-limit');
    const l1 = client({ rpcUrls: [limited.url, secondary.url], failureBackoffMs: 1 });

    // Act
    for (let call = 0; call < CALLS; call += 1) await l1.getBlockNumber({ cacheTime: 0 });

    // Assess
    expect(requestsTo(limited)).toBe(1);
  });

  it('asks a rate-limited primary again once its short backoff has passed when it sent no Retry-After', async () => {
    // Prepare
    const [limited, secondary] = [await proxy(), await proxy()];
    limited.setFault('rate-limit');
    const l1 = client({ rpcUrls: [limited.url, secondary.url], failureBackoffMs: 1 });

    // Act
    for (let call = 0; call < CALLS; call += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await l1.getBlockNumber({ cacheTime: 0 });
    }

    // Assess
    expect(requestsTo(limited)).toBeGreaterThan(1);
  });

  it.each([
    [20, 'avoids', 1],
    [5, 'keeps', CALLS + 1],
  ])(
    'with a primary %i blocks behind, %s it (more than 10 blocks is lagging)',
    async (lagBlocks, _, asked) => {
      // Prepare
      const [behind, secondary] = [await proxy({ lagBlocks }), await proxy()];
      behind.setFault('lag');
      const l1 = client({ rpcUrls: [behind.url, secondary.url] });
      const head = await createPublicClient({ transport: http(anvil.rpcUrl) }).getBlockNumber();

      // Act
      const seen: bigint[] = [];
      for (let call = 0; call < CALLS; call += 1) seen.push(await l1.getBlockNumber({ cacheTime: 0 }));

      // Assess: the first request compares heads (one eth_blockNumber to each endpoint).
      expect(requestsTo(behind)).toBe(asked);
      if (lagBlocks > 10) expect(new Set(seen)).toEqual(new Set([head]));
    },
  );

  it('takes the lag threshold from the chain config (chains.<l1|l2>.maxHeadLagBlocks)', async () => {
    // Prepare: a primary 20 blocks behind, under a config that tolerates 30
    const [behind, secondary] = [await proxy({ lagBlocks: 20 }), await proxy()];
    behind.setFault('lag');
    const raw = JSON.parse(readFileSync(new URL('../../../config/devnet.json', import.meta.url), 'utf8'));
    raw.chains.l1.maxHeadLagBlocks = 30;
    const { l1 } = parsePipelineConfig(raw, 'lag test config').chains;
    const tolerant = createChainPublicClient({
      chainId: 31_337,
      name: 'tolerant-l1',
      rpcUrls: [behind.url, secondary.url],
      rpcTimeoutMs: TIMEOUT_MS,
      maxHeadLagBlocks: l1.maxHeadLagBlocks,
      headCheckIntervalMs: l1.headCheckIntervalSeconds * 1000,
    });

    // Act
    for (let call = 0; call < CALLS; call += 1) await tolerant.getBlockNumber({ cacheTime: 0 });

    // Assess: 20 behind is within 30, so the primary keeps its traffic (the head check plus every call)
    expect(requestsTo(behind)).toBe(CALLS + 1);
  });

  it('names each endpoint that failed by chain, position and redacted URL', async () => {
    // Prepare
    const [first, second] = [await proxy(), await proxy()];
    first.setFault('hang');
    second.setFault('rate-limit');
    const secretUrl = (p: FaultyRpcProxy) => `${p.url}/v2/SECRET-KEY`;
    const l1 = client({ rpcUrls: [secretUrl(first), secretUrl(second)], label: 'L1', retryCount: 0 });

    // Act
    const failed = await l1.getBlockNumber({ cacheTime: 0 }).then(
      () => undefined,
      (error: Error) => error,
    );

    // Assess
    expect(failed?.name).toBe('RpcEndpointsFailedError');
    expect(failed?.message).toContain(
      `L1 endpoint #1 (${first.url}/<redacted-url>) timed out after ${TIMEOUT_MS} ms`,
    );
    expect(failed?.message).toContain(`L1 endpoint #2 (${second.url}/<redacted-url>) rate-limited (HTTP 429`);
    expect(failed?.message).not.toContain('SECRET-KEY');
  });
});
