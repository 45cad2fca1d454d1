import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambdas, LAMBDA_HANDLERS, type LambdaBundle } from '../../../scripts/bundle-lambdas.js';
import { BUNDLE_CEILING_BYTES } from './bundle-ceilings.js';

/** Imports a bundle in a fresh Node process without any pipeline environment and calls `handler`. */
function invokeBundle(bundle: LambdaBundle, event: unknown): { status: number | null; output: string } {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle.path).href)});
    if (typeof handler !== 'function') throw new Error('no handler export');
    const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 60000 };
    try { await handler(${JSON.stringify(event)}, context); console.log('RESULT ok'); }
    catch (error) { console.log('RESULT ' + error.message); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_METRICS_DISABLED: 'true' },
    encoding: 'utf8',
  });
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

/**
 * Strings only a client's own code carries (its service's wire name, viem's version tag, the RPC
 * method of viem's `sendRawTransaction` action): a bundle that holds the string holds the client.
 */
const CLIENT_MARKERS = {
  kms: 'TrentService',
  sqs: 'AmazonSQS',
  ssm: 'AmazonSSM',
  batch: 'AWSBatchV20160810',
  viem: 'viem@',
  viemTransactions: 'eth_sendRawTransaction',
} as const;

/**
 * What each handler's bundle may carry: only the clients its own root builds. The watcher's viem
 * client reads blocks only (`withBlockReads`); the proposer's sends transactions (`withChainActions`)
 * and it publishes no message (no SQS).
 */
const BUNDLED_CLIENTS: Record<string, ReadonlyArray<keyof typeof CLIENT_MARKERS>> = {
  watcher: ['sqs', 'ssm', 'batch', 'viem'],
  dispatcher: ['sqs', 'batch'],
  'job-state': ['sqs', 'batch'],
  proposer: ['kms', 'ssm', 'batch', 'viem', 'viemTransactions'],
};

/** A variable only the SDK's credential chain past its environment link reads (web identity). */
const CREDENTIAL_CHAIN_MARKER = 'AWS_WEB_IDENTITY_TOKEN_FILE';

describe('bundle-lambdas', () => {
  let outDir: string;
  let bundles: LambdaBundle[];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
    bundles = await bundleLambdas(outDir);
  }, 120_000);

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('bundles every handler into <name>/index.mjs', () => {
    expect(bundles.map((b) => b.name)).toEqual([...LAMBDA_HANDLERS]);
    for (const bundle of bundles) {
      expect(bundle.path).toBe(join(outDir, bundle.name, 'index.mjs'));
      expect(bundle.bytes).toBeGreaterThan(10_000);
    }
  });

  it.each([...LAMBDA_HANDLERS])(
    'loads the %s bundle with no dependencies beside it, failing on the first invocation naming the missing variable',
    (name) => {
      // Act
      const { status, output } = invokeBundle(bundles.find((b) => b.name === name)!, { Records: [] });

      // Assess
      expect(status).toBe(0);
      expect(output).toMatch(/RESULT invalid pipeline config[\s\S]*PIPELINE_CONFIG_JSON: expected/);
    },
  );

  it.each([...LAMBDA_HANDLERS])('bundles only the clients the %s handler builds', (name) => {
    // Prepare
    const code = readFileSync(bundles.find((b) => b.name === name)!.path, 'utf8');

    // Act
    const carried = Object.entries(CLIENT_MARKERS)
      .filter(([, marker]) => code.includes(marker))
      .map(([client]) => client);

    // Assess
    expect(carried).toEqual(BUNDLED_CLIENTS[name]);
  });

  it.each([...LAMBDA_HANDLERS])(
    'carries only the environment link of the SDK credential chain in the %s bundle',
    (name) => {
      // Act
      const code = readFileSync(bundles.find((b) => b.name === name)!.path, 'utf8');

      // Assess (booleans: a failure does not print the whole bundle)
      expect(code.includes(CREDENTIAL_CHAIN_MARKER), `${name} bundle reads ${CREDENTIAL_CHAIN_MARKER}`).toBe(
        false,
      );
      expect(code.includes('AWS_ACCESS_KEY_ID'), `${name} bundle reads AWS_ACCESS_KEY_ID`).toBe(true);
    },
  );

  it.each([...LAMBDA_HANDLERS])('keeps the %s bundle under its size ceiling', (name) => {
    // Act
    const { bytes } = bundles.find((b) => b.name === name)!;

    // Assess
    expect(bytes).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES[name]);
  });
});
