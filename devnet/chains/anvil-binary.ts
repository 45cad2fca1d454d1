import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevChainError } from './errors.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const archNames: Partial<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' };

/**
 * Path of the anvil executable installed by the npm package `@foundry-rs/anvil` in this repo.
 *
 * Prefers the native binary of the platform package (`@foundry-rs/anvil-<os>-<arch>/bin/anvil`) over the
 * `node_modules/.bin/anvil` node wrapper: killing the wrapper with SIGKILL would orphan the real anvil,
 * killing the native binary leaves nothing behind.
 */
export function anvilBinaryPath(): string {
  const arch = archNames[process.arch];
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const candidates = [
    ...(arch === undefined
      ? []
      : [join(repoRoot, 'node_modules', '@foundry-rs', `anvil-${process.platform}-${arch}`, 'bin', exe)]),
    join(repoRoot, 'node_modules', '.bin', 'anvil'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new DevChainError('anvil is not installed in this repo', {
      details: `looked for ${candidates.join(', ')}; run \`npm ci\` (package @foundry-rs/anvil)`,
    });
  }
  return found;
}
