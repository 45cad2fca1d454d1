import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../cdk/constructs/lambda-bundle-settings.js';

/** The Lambda functions: one handler entry file each, exporting `handler`. */
export const LAMBDA_HANDLERS = ['watcher', 'dispatcher', 'job-state', 'proposer'] as const;

export type LambdaHandlerName = (typeof LAMBDA_HANDLERS)[number];

export interface LambdaBundle {
  readonly name: string;
  /** `<outDir>/<name>/index.mjs`, the Lambda handler `index.handler`. */
  readonly path: string;
  readonly bytes: number;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles each handler with esbuild into `<outDir>/<name>/index.mjs` with the settings the CDK
 * deploys (`LAMBDA_BUNDLE_SETTINGS`): ESM for the Node 22 runtime, minified, everything bundled (the
 * SDK too, so the deployed code is the tested code).
 */
export async function bundleLambdas(
  outDir = join(repoRoot, 'dist', 'lambdas'),
  names: readonly string[] = LAMBDA_HANDLERS,
): Promise<LambdaBundle[]> {
  const bundles: LambdaBundle[] = [];
  for (const name of names) {
    const path = join(outDir, name, 'index.mjs');
    await build(lambdaBuildOptions(join(repoRoot, 'lambdas', 'handlers', `${name}.ts`), path));
    bundles.push({ name, path, bytes: statSync(path).size });
  }
  return bundles;
}

async function main(): Promise<void> {
  const outDir = process.argv[2] === undefined ? undefined : resolve(process.argv[2]);
  const bundles = await bundleLambdas(outDir);
  for (const bundle of bundles) {
    process.stdout.write(
      `${bundle.name.padEnd(12)} ${(bundle.bytes / 1024).toFixed(1).padStart(8)} KiB  ${bundle.path}\n`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
