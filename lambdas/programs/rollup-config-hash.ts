import { readFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { type Hex, toHex } from '../zkvm/hex-bytes.js';

/**
 * `rollupConfigHash` of a committed rollup config file: sha256 of its exact bytes.
 *
 * @example await rollupConfigHashOf('config/rollup/devnet.json')
 */
export async function rollupConfigHashOf(path: string): Promise<Hex> {
  return toHex(sha256(await readFile(path)));
}
