import { resolve } from 'node:path';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { startDevnetChains } from '../../../devnet/runtime/devnet-chains.js';
import { loadDevnetConfig } from '../../../devnet/runtime/devnet-config.js';
import type { DevnetManifest } from '../../../devnet/runtime/devnet-manifest.js';
import { rollupConfigHashOf } from '../../../lambdas/core/config/rollup-config-hash.js';

const DEVNET_CONFIG = resolve(import.meta.dirname, '../../../config/devnet.json');

/**
 * The devnet's chains for a test: anvil L1 and L2 on free ports with 1 s blocks, the oracle and
 * verifier deployed as `npm start` deploys them (config/devnet.json). The caller stops them.
 */
export async function startDevnetTestChains(): Promise<{ chains: DevChains; manifest: DevnetManifest }> {
  const config = loadDevnetConfig(DEVNET_CONFIG);
  return startDevnetChains({
    config,
    rollupConfigHash: await rollupConfigHashOf(
      resolve(DEVNET_CONFIG, '..', config.chains.l2.rollupConfigPath),
    ),
    l1Port: 0,
    l2Port: 0,
    l1BlockTimeSeconds: 1,
    l2BlockTimeSeconds: 1,
  });
}
