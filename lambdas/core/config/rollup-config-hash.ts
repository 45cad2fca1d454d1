import { readFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * `rollupConfigHash` of a committed rollup config file: sha256 of its exact bytes, `0x`-prefixed.
 *
 * @example await rollupConfigHashOf('config/rollup/devnet.json')
 */
export async function rollupConfigHashOf(path: string): Promise<`0x${string}`> {
  return `0x${bytesToHex(sha256(await readFile(path)))}`;
}
