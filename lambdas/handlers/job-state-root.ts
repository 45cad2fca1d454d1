import { type BaseRuntime, buildBaseRuntime, type RuntimeOverrides } from './base-runtime.js';
import { jobQueueNamesOf } from './job-queue-names.js';
import { once } from './memoize.js';
import { type OrchestratorRuntime, orchestratorRuntime } from './orchestrator-runtime.js';
import { sqsMessageBusFromEnv } from './sqs-message-bus-from-env.js';

/** What the job-state function uses: the orchestrator's ports and the pipeline's job queue names. */
export type JobStateRuntime = BaseRuntime &
  OrchestratorRuntime & {
    /** Names of this pipeline's Batch job queues (`BATCH_JOB_TARGETS`): events of other queues are not ours. */
    jobQueueNames(): ReadonlySet<string>;
  };

/**
 * The job-state function's composition root: builds only its adapters, so its bundle carries
 * neither viem nor the SSM and KMS clients.
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildJobStateRuntime(
  env: NodeJS.ProcessEnv,
  overrides: RuntimeOverrides = {},
): JobStateRuntime {
  const base = buildBaseRuntime(env, overrides);
  return {
    ...base,
    ...orchestratorRuntime(env, base, { bus: () => sqsMessageBusFromEnv(env) }),
    jobQueueNames: jobQueueNamesOf(env),
  };
}

/** The job-state runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartJobStateRuntime: () => JobStateRuntime = once(() => buildJobStateRuntime(process.env));
