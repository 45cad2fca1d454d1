import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeJsonSnapshot } from '../stand-ins/json-snapshot.js';
import type { DevnetManifest } from './devnet-manifest.js';

/**
 * Writes the config the handlers read (`PIPELINE_CONFIG_PATH`): the devnet config file with the
 * running chains filled in (RPC URLs, oracle and verifier, the oracle's starting block) and the
 * rollup config path made absolute so it resolves from the state folder. Returns the rollup path.
 */
export function writeResolvedPipelineConfig(options: {
  configPath: string;
  manifest: DevnetManifest;
  outputPath: string;
}): { rollupConfigPath: string } {
  const raw = JSON.parse(readFileSync(options.configPath, 'utf8')) as {
    chains: { l1: Record<string, unknown>; l2: Record<string, unknown> & { rollupConfigPath: string } };
  };
  const rollupConfigPath = resolve(dirname(options.configPath), raw.chains.l2.rollupConfigPath);
  const resolved = {
    ...raw,
    chains: {
      l1: {
        ...raw.chains.l1,
        rpcUrls: [options.manifest.l1.rpcUrl],
        oracleAddress: options.manifest.contracts.l2OutputOracle,
        verifierAddress: options.manifest.contracts.verifier,
      },
      l2: {
        ...raw.chains.l2,
        rpcUrls: [options.manifest.l2.rpcUrl],
        startBlock: options.manifest.startingBlock,
        rollupConfigPath,
      },
    },
  };
  writeJsonSnapshot(options.outputPath, resolved, 2);
  return { rollupConfigPath };
}
