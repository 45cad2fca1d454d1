import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveImport } from './import-graph.js';
import { specifiersOf } from './module-specifiers.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * What runs in production: the job image's entrypoint and built-in provers (installed there with
 * `npm ci --omit=dev`) and the Lambda handlers (bundled by esbuild).
 */
const RUNTIME_ENTRIES = [
  'batch-jobs/entrypoint.ts',
  ...readdirSync(join(ROOT, 'batch-jobs/provers')).map((file) => `batch-jobs/provers/${file}`),
  ...readdirSync(join(ROOT, 'lambdas/handlers')).map((file) => `lambdas/handlers/${file}`),
].filter((file) => file.endsWith('.ts'));

/** Runtime dependencies no file imports: the job image's ENTRYPOINT runs `node --import tsx`. */
const RUN_BY_COMMAND = ['tsx'];

/**
 * The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for `node:`
 * and relative ones and for what the text scan took for a specifier but no package could be named.
 */
function packageOf(specifier: string): string | undefined {
  if (!/^[@a-z0-9][\w./@-]*$/.test(specifier) || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package imported by `entries` and the repository files they import, transitively. */
function importedPackages(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of specifiersOf(readFileSync(join(ROOT, file), 'utf8'))) {
      const target = resolveImport(ROOT, file, specifier);
      if (target !== undefined) pending.push(target);
      const name = packageOf(specifier);
      if (name !== undefined) packages.add(name);
    }
  }
  return packages;
}

describe('package.json dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('lists as runtime dependencies exactly what the job image and the Lambda functions import', () => {
    // Prepare: type-only packages come from @types/* (dev), e.g. `aws-lambda`.
    const typesOnly = (name: string) => `@types/${name}` in manifest.devDependencies;
    // Act
    const imported = [...importedPackages(RUNTIME_ENTRIES)].filter((name) => !typesOnly(name));
    // Assess: everything the CDK app, the devnet and the tests alone use (aws-cdk-lib, solc, anvil,
    // dynalite, s3rver, esbuild) is a dev dependency, so `npm ci --omit=dev` leaves it out of the image.
    expect(Object.keys(manifest.dependencies).sort()).toEqual(
      [...new Set([...imported, ...RUN_BY_COMMAND])].sort(),
    );
  });

  it('installs the job image without dev dependencies', () => {
    // Act
    const dockerfile = readFileSync(join(ROOT, 'batch-jobs/Dockerfile'), 'utf8');
    // Assess
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
  });
});
