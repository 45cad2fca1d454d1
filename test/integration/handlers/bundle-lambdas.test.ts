import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambdas, LAMBDA_HANDLERS, type LambdaBundle } from '../../../scripts/bundle-lambdas.js';

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
});
