import { readBatchJobTargets } from './handler-environment.js';
import { once } from './memoize.js';

/**
 * Names of this pipeline's Batch job queues (`BATCH_JOB_TARGETS`), read on first use: events of
 * other queues are not ours. A stage's on-demand-only queue runs our retries after infrastructure
 * failures, so its events are ours too.
 */
export function jobQueueNamesOf(env: NodeJS.ProcessEnv): () => ReadonlySet<string> {
  return once(
    (): ReadonlySet<string> =>
      new Set(
        Object.values(readBatchJobTargets(env)).flatMap((target) =>
          target.onDemandJobQueue === undefined
            ? [target.jobQueue]
            : [target.jobQueue, target.onDemandJobQueue],
        ),
      ),
  );
}
