import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutputRootAtBlock } from '../../lambdas/chain/l2-state/compute-output-root.js';
import { readJsonSnapshot, writeJsonSnapshot } from '../stand-ins/json-snapshot.js';

/** Where the devnet chains persist under a state folder (`<state>/chains/`). */
export interface DevnetChainStatePaths {
  readonly directory: string;
  /** anvil `--state` file of the L1. */
  readonly l1StateFile: string;
  /** anvil `--state` file of the L2. */
  readonly l2StateFile: string;
  /** The oracle's starting output, written once the chains are deployed. */
  readonly startingOutputFile: string;
}

/** The chain state paths of a state folder. */
export function devnetChainStatePaths(stateDirectory: string): DevnetChainStatePaths {
  const directory = join(stateDirectory, 'chains');
  return {
    directory,
    l1StateFile: join(directory, 'l1.json'),
    l2StateFile: join(directory, 'l2.json'),
    startingOutputFile: join(directory, 'starting-output.json'),
  };
}

/** True when the state folder holds persisted chains that `resumeDevnetChains` can continue. */
export function hasPersistedChains(paths: DevnetChainStatePaths): boolean {
  return (
    existsSync(paths.l1StateFile) && existsSync(paths.l2StateFile) && existsSync(paths.startingOutputFile)
  );
}

const hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/)
  .transform((value) => value as `0x${string}`);
const uint = z
  .string()
  .regex(/^\d+$/)
  .transform((value) => BigInt(value));

const startingOutputSchema = z.object({
  outputRoot: hex,
  stateRoot: hex,
  messagePasserStorageRoot: hex,
  blockHash: hex,
  blockNumber: uint,
  timestamp: uint,
});

/** Writes the oracle's starting output next to the chain state files. */
export function writeStartingOutput(paths: DevnetChainStatePaths, output: OutputRootAtBlock): void {
  writeJsonSnapshot(
    paths.startingOutputFile,
    { ...output, blockNumber: output.blockNumber.toString(), timestamp: output.timestamp.toString() },
    2,
  );
}

/**
 * Reads the starting output written by `writeStartingOutput`.
 * @throws Error when the file is missing or malformed.
 */
export function readStartingOutput(paths: DevnetChainStatePaths): OutputRootAtBlock {
  const raw = readJsonSnapshot(paths.startingOutputFile);
  const parsed = startingOutputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${paths.startingOutputFile} is not a starting output: ${parsed.error.message}`);
  }
  return parsed.data;
}
