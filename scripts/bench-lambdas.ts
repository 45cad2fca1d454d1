import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HANDLER_ENV } from '../lambdas/core/config/environment-names.js';
import { loadPipelineConfig } from '../lambdas/core/config/parse-pipeline-config.js';
import { pipelineResourceNames, pipelineTopics } from '../lambdas/core/config/pipeline-resource-names.js';
import { METRIC_NAMESPACE } from '../lambdas/core/ports/telemetry.js';
import { bundleLambdas } from './bundle-lambdas.js';

/** One handler's figures: its bundle size and the median time its module takes to load. */
export interface LambdaBenchFigures {
  readonly name: string;
  readonly bundleBytes: number;
  readonly moduleInitMs: { readonly median: number; readonly samples: readonly number[] };
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Loads the bundle at `url` in a fresh `node` and prints how long the import took. Nothing is
 * invoked: the handlers build their clients on the first invocation, so this is Lambda's init phase.
 */
const IMPORT_TIMER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';

/**
 * The environment the CDK app gives a function (`cdk/pipeline-stack.ts`), with the example config's
 * names and dummy credentials: the same variables, so module-level reads see what Lambda would give.
 */
function lambdaEnvironment(functionName: string): Record<string, string> {
  const config = loadPipelineConfig(join(repoRoot, 'config', 'aws-example.json'));
  const names = pipelineResourceNames(config.name);
  const queueUrls = Object.fromEntries(
    pipelineTopics(config).map((topic) => [
      topic,
      `https://sqs.us-east-1.amazonaws.com/000000000000/${names.queue(topic)}`,
    ]),
  );
  const targets = Object.fromEntries(
    config.stages.map((stage) => [
      stage.name,
      { jobQueue: names.jobQueue(stage.name), jobDefinition: names.jobDefinition(stage.name) },
    ]),
  );
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    [HANDLER_ENV.configJson]: JSON.stringify(config),
    [HANDLER_ENV.stateTableName]: names.stateTable,
    [HANDLER_ENV.artifactBucketName]: names.artifactBucket,
    [HANDLER_ENV.topicQueueUrls]: JSON.stringify(queueUrls),
    [HANDLER_ENV.batchJobTargets]: JSON.stringify(targets),
    [HANDLER_ENV.rollupConfigHash]: `0x${'00'.repeat(32)}`,
    POWERTOOLS_SERVICE_NAME: config.name,
    POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** Import time of one bundle in a fresh process, in milliseconds. */
function coldImportMs(bundlePath: string, env: Record<string, string>): number {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(bundlePath).href],
    { env, encoding: 'utf8' },
  );
  const ms = Number(out);
  if (!Number.isFinite(ms)) throw new Error(`${bundlePath}: the import timer printed ${JSON.stringify(out)}`);
  return ms;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Bundles every handler (as `npm run bundle` does) into `outDir` and measures each: bundle bytes and
 * the median of `runs` cold imports.
 */
export async function benchLambdas(outDir: string, runs: number): Promise<LambdaBenchFigures[]> {
  const bundles = await bundleLambdas(outDir);
  return bundles.map((bundle) => {
    const env = lambdaEnvironment(bundle.name);
    const samples = Array.from({ length: runs }, () => Math.round(coldImportMs(bundle.path, env) * 10) / 10);
    return {
      name: bundle.name,
      bundleBytes: bundle.bytes,
      moduleInitMs: { median: median(samples), samples },
    };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, runs: { type: 'string', default: '7' } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a positive integer (got ${values.runs})`);
  const outDir = mkdtempSync(join(tmpdir(), 'bench-lambdas-'));
  try {
    const figures = await benchLambdas(outDir, runs);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    process.stdout.write(`handler      bundle KiB  module init ms (median of ${runs} cold imports)\n`);
    for (const { name, bundleBytes, moduleInitMs } of figures) {
      process.stdout.write(
        `${name.padEnd(12)} ${(bundleBytes / 1024).toFixed(1).padStart(10)}  ${moduleInitMs.median.toFixed(1).padStart(8)}\n`,
      );
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
