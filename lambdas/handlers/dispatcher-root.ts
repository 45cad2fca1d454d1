import { type BaseRuntime, buildBaseRuntime, type RuntimeOverrides } from './base-runtime.js';
import { once } from './memoize.js';
import { type OrchestratorRuntime, orchestratorRuntime } from './orchestrator-runtime.js';
import { proposerWakeupFromEnv } from './proposer-wakeup-from-env.js';
import { sqsMessageBusFromEnv } from './sqs-message-bus-from-env.js';

/** What the dispatcher uses: the orchestrator's ports and the proposer wake-up (no RPC, no KMS). */
export type DispatcherRuntime = BaseRuntime & OrchestratorRuntime;

/**
 * The dispatcher's composition root: builds only the dispatcher's adapters, so its bundle carries
 * neither viem nor the SSM and KMS clients.
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildDispatcherRuntime(
  env: NodeJS.ProcessEnv,
  overrides: RuntimeOverrides = {},
): DispatcherRuntime {
  const base = buildBaseRuntime(env, overrides);
  return {
    ...base,
    ...orchestratorRuntime(env, base, {
      bus: () => sqsMessageBusFromEnv(env),
      proposerWakeup: () => proposerWakeupFromEnv(env),
    }),
  };
}

/** The dispatcher runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartDispatcherRuntime: () => DispatcherRuntime = once(() =>
  buildDispatcherRuntime(process.env),
);
