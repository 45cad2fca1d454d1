import type { RuntimeOverrides } from './base-runtime.js';
import { jobQueueNamesOf } from './job-queue-names.js';
import type { JobStateRuntime } from './job-state-root.js';
import { buildProposerRuntime, type ProposerRuntime } from './proposer-root.js';
import { sqsMessageBusFromEnv } from './sqs-message-bus-from-env.js';

export type { RuntimeOverrides } from './base-runtime.js';

/**
 * The dependencies of every handler in one object, for tests and tools that drive several handlers
 * from one runtime. A Lambda function never imports this file: each handler's module imports its own
 * root (`watcher-root.ts`, `dispatcher-root.ts`, `job-state-root.ts`, `proposer-root.ts`), so its
 * bundle carries only its own adapters. Each part is built on first use, so a caller only needs the
 * variables it really uses.
 */
export type Runtime = ProposerRuntime & Pick<JobStateRuntime, 'jobQueueNames'>;

/**
 * Builds the runtime of every handler from environment variables (names in `handler-environment.ts`):
 * the proposer's, which holds every part but two, with the SQS bus the other handlers publish on,
 * and the job-state function's queue names.
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildRuntime(env: NodeJS.ProcessEnv, overrides: RuntimeOverrides = {}): Runtime {
  return {
    ...buildProposerRuntime(env, overrides, { bus: () => sqsMessageBusFromEnv(env) }),
    jobQueueNames: jobQueueNamesOf(env),
  };
}
