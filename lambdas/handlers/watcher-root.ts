import { type BlockReadClient, withBlockReads } from '../chain/block-read-client.js';
import { type BaseRuntime, buildBaseRuntime, type RuntimeOverrides } from './base-runtime.js';
import { type ChainRuntime, chainRuntime } from './chain-runtime.js';
import { once } from './memoize.js';
import { type OrchestratorRuntime, orchestratorRuntime } from './orchestrator-runtime.js';
import { sqsMessageBusFromEnv } from './sqs-message-bus-from-env.js';

/** What the watcher uses: the orchestrator's ports and L2 block reads (no KMS, no signer, no contract calls). */
export type WatcherRuntime = BaseRuntime & OrchestratorRuntime & ChainRuntime<BlockReadClient>;

/**
 * The watcher's composition root: builds only the watcher's adapters, so its bundle carries nothing
 * of the other handlers.
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildWatcherRuntime(
  env: NodeJS.ProcessEnv,
  overrides: RuntimeOverrides = {},
): WatcherRuntime {
  const base = buildBaseRuntime(env, overrides);
  return {
    ...base,
    ...orchestratorRuntime(env, base, { bus: () => sqsMessageBusFromEnv(env) }),
    ...chainRuntime(base.config, withBlockReads),
  };
}

/** The watcher runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartWatcherRuntime: () => WatcherRuntime = once(() => buildWatcherRuntime(process.env));
