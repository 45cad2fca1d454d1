import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../../cdk/constructs/lambda-bundle-settings.js';
import { EndpointCache } from '../../../lambdas/adapters/aws/no-endpoint-cache.js';

describe('the bundles’ stand-in for the SDK endpoint-discovery cache', () => {
  let outDir: string;
  let bundle: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'no-endpoint-cache-'));
    bundle = join(outDir, 'index.mjs');
    const entry = fileURLToPath(new URL('./no-endpoint-cache-entry.ts', import.meta.url));
    await build({ ...lambdaBuildOptions(entry, bundle), sourcemap: false });
  }, 60_000);

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('sends a bundled DynamoDB request to the regional endpoint, with no LRU cache in the bundle', () => {
    // Act
    const child = spawnSync(process.execPath, [bundle], { encoding: 'utf8', timeout: 30_000 });

    // Assess
    expect(child.stderr).not.toMatch(/Error/);
    expect(JSON.parse(child.stdout.trim())).toEqual({
      sent: ['dynamodb.us-east-1.amazonaws.com'],
      id: 'cursor/range',
    });
    expect(readFileSync(bundle, 'utf8').includes('mnemonist')).toBe(false);
  });

  it('answers no discovered endpoint and refuses to store one, naming the cause', () => {
    // Prepare
    const cache = new EndpointCache(1000);

    // Act / Assess
    expect(cache.getEndpoint('key')).toBeUndefined();
    expect(cache.has('key')).toBe(false);
    expect(() => cache.set('key', [])).toThrow(/endpoint discovery is not bundled.*"key"/);
  });
});
