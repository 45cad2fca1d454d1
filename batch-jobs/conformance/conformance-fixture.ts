import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * A conformance fixture directory: `valid-input.json` (a request the prover must accept) and optional
 * `env.json` (string map of environment variables for the prover, e.g. RPC URLs of a running devnet).
 */
export async function readConformanceFixture(
  dir: string,
): Promise<{ validInput: unknown; env: Record<string, string> }> {
  const validInput: unknown = JSON.parse(await readFile(join(dir, 'valid-input.json'), 'utf8'));
  const envPath = join(dir, 'env.json');
  const env = existsSync(envPath)
    ? z.record(z.string(), z.string()).parse(JSON.parse(await readFile(envPath, 'utf8')))
    : {};
  return { validInput, env };
}
