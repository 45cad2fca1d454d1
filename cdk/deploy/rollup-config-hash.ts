import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../lambdas/core/errors.js';

/**
 * `0x` + sha256 (hex) of the rollup config file, the `rollupConfigHash` the programs commit.
 * `rollupConfigPath` is relative to the pipeline config file, as the runtime reads it.
 * @throws ConfigError naming `chains.l2.rollupConfigPath` when the file cannot be read.
 */
export function rollupConfigHash(configPath: string, rollupConfigPath: string): string {
  const file = resolve(dirname(configPath), rollupConfigPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ConfigError(configPath, [
      `chains.l2.rollupConfigPath: got "${rollupConfigPath}" (${file}), expected a readable rollup config file: ${(error as Error).message}`,
    ]);
  }
  return `0x${createHash('sha256').update(bytes).digest('hex')}`;
}
