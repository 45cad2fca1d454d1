import { afterAll, beforeAll } from 'vitest';
import {
  type DevChains,
  type StartDevChainsOptions,
  startDevChains,
} from '../../../devnet/chains/start-dev-chains.js';
import { testProgramKeys } from './test-program-keys.js';

/** `startDevChains` options for tests: test program keys, automine, no traffic, interval 5. */
export type TestDevChainsOptions = Partial<StartDevChainsOptions>;

function withTestDefaults(options: TestDevChainsOptions): StartDevChainsOptions {
  return { ...testProgramKeys, submissionInterval: 5, traffic: false, ...options };
}

/**
 * Runs `body` against fresh dev chains (L1 + L2 anvil, seeded message passer, oracle + mock verifier)
 * and stops them afterwards, also when `body` throws.
 *
 * @example
 * await withDevChains({ submissionInterval: 2 }, async (chains) => { ... });
 */
export async function withDevChains<T>(
  options: TestDevChainsOptions,
  body: (chains: DevChains) => Promise<T>,
): Promise<T> {
  const chains = await startDevChains(withTestDefaults(options));
  try {
    return await body(chains);
  } finally {
    await chains.stop();
  }
}

/**
 * Registers `beforeAll` / `afterAll` hooks in the calling `describe` that start dev chains once and stop
 * them after the block; returns a getter for the running chains.
 *
 * @example
 * describe('proposer', () => {
 *   const chains = useDevChains({ submissionInterval: 2 });
 *   it('...', async () => { const { l1, oracleAddress } = chains(); });
 * });
 */
export function useDevChains(options: TestDevChainsOptions = {}): () => DevChains {
  let chains: DevChains | undefined;
  beforeAll(async () => {
    chains = await startDevChains(withTestDefaults(options));
  });
  afterAll(async () => {
    await chains?.stop();
  });
  return () => {
    if (chains === undefined) throw new Error('dev chains are not running (use inside it/test)');
    return chains;
  };
}
