import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { redactErrorUrls, redactUrlsInText } from '../../../lambdas/chain/redact-rpc-urls.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const SECRET_URL = 'http://127.0.0.1:9/v2/sEcReTkEy0123?apikey=hunter2';

async function failingRpcCall(): Promise<Error> {
  const client = createChainPublicClient({
    chainId: 901,
    name: 'l2',
    rpcUrls: [SECRET_URL],
    rpcTimeoutMs: 1000,
  });
  return client.getBlockNumber({ cacheTime: 0 }).then(
    () => {
      throw new Error('the call to a closed port succeeded');
    },
    (error: unknown) => error as Error,
  );
}

describe('redactUrlsInText', () => {
  it.each([
    ['URL: https://rpc.example.com/v2/KEY', 'URL: https://rpc.example.com/<redacted-url>'],
    ['at https://rpc.example.com:8545/?apikey=KEY.', 'at https://rpc.example.com:8545/<redacted-url>.'],
    ['https://user:KEY@rpc.example.com/ failed', 'https://rpc.example.com failed'],
    ['wss://rpc.example.com/ws/KEY#x', 'wss://rpc.example.com/<redacted-url>'],
    ['plain http://127.0.0.1:8545 stays', 'plain http://127.0.0.1:8545 stays'],
    ['s3://bucket/jobs/range/0-3/a1/input.json', 's3://bucket/jobs/range/0-3/a1/input.json'],
    [
      'L2 endpoint #1 (http://127.0.0.1:8545) timed out.',
      'L2 endpoint #1 (http://127.0.0.1:8545) timed out.',
    ],
    ['(https://rpc.example.com/v2/KEY), then', '(https://rpc.example.com/<redacted-url>), then'],
    [
      'L1 endpoint #2 (https://rpc.example.com/<redacted-url>) timed out',
      'L1 endpoint #2 (https://rpc.example.com/<redacted-url>) timed out',
    ],
    [
      '"http://a.example/KEY","https://b.example/KEY"',
      '"http://a.example/<redacted-url>","https://b.example/<redacted-url>"',
    ],
  ])('%s → %s', (text, expected) => {
    // Act
    const redacted = redactUrlsInText(text);
    // Assess
    expect(redacted).toBe(expected);
    expect(redacted).not.toContain('KEY');
  });
});

describe('redactErrorUrls', () => {
  it('redacts message, stack, details, url and the cause chain of a viem HTTP error in place', async () => {
    // Prepare
    const failed = await failingRpcCall();
    const error = failed.cause as Error;
    const wrapped = new Error('proposer run failed', { cause: failed });
    expect(error.message).toContain('sEcReTkEy0123');

    // Act
    const returned = redactErrorUrls(wrapped);

    // Assess
    expect(returned).toBe(wrapped);
    expect(failed.constructor.name).toBe('RpcEndpointsFailedError');
    expect(error.constructor.name).toBe('HttpRequestError');
    const inner = error as Error & { details?: string; url?: string; shortMessage?: string };
    for (const text of [error.message, error.stack, inner.details, inner.url, inner.shortMessage]) {
      expect(String(text)).not.toMatch(/sEcReTkEy0123|hunter2/);
    }
    expect(error.message).toContain('http://127.0.0.1:9/<redacted-url>');
  });
});

describe('handler logs', () => {
  let lines: string[];

  beforeEach(() => {
    lines = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("a failing RPC call's error, logged through the runtime's Powertools logger, keeps no URL path or query", async () => {
    // Prepare: the runtime as on AWS (Powertools logger, no override)
    const runtime = buildRuntime({ PIPELINE_CONFIG_JSON: JSON.stringify(testPipelineConfig('redaction')) });
    const error = await failingRpcCall();

    // Act
    runtime.logger.error('watcher: L2 read failed', { error, reason: error.message });

    // Assess
    const logged = lines.join('');
    const entry = JSON.parse(
      logged
        .trim()
        .split('\n')
        .find((line) => line.startsWith('{')) ?? '{}',
    );
    expect(entry).toMatchObject({ level: 'ERROR', message: 'watcher: L2 read failed' });
    expect(entry.error).toMatchObject({ name: 'RpcEndpointsFailedError' });
    expect(entry.error.message).toContain('l2 endpoint #1 (http://127.0.0.1:9/<redacted-url>)');
    expect(logged).toContain('http://127.0.0.1:9/<redacted-url>');
    expect(logged).not.toContain('sEcReTkEy0123');
    expect(logged).not.toContain('hunter2');
  });
});
