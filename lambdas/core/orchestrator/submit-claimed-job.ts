import type { StageConfig } from '../config/schema.js';
import { PipelineError } from '../errors.js';
import type { ExecutorRequest } from '../executor/program-contracts.js';
import type { StoredItem } from '../ports/state-store.js';
import { abandonUnbuildableGroup, isUnbuildableInput } from './abandon-unbuildable-group.js';
import { buildExecutorInput } from './build-executor-input.js';
import { groupData, patchGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Second half of starting a job, after the group was claimed (moved to `running` with `jobName`,
 * `attempt`, `inputKey`, `outputKey`, `claimedAt`): writes the executor input, submits the job
 * under its deterministic name, then records `jobId` and `submittedAt` on the group. `input` is
 * built again when not given (crash recovery); if it cannot be built the group is abandoned.
 *
 * Repeatable: the input lands on the same key and the runner does not start a second run for a
 * known job name. Returns the group as last written or read (the abandoned item when its input
 * cannot be built), or undefined when another writer moved it first.
 */
export async function submitClaimedJob(
  deps: OrchestratorDeps,
  stage: StageConfig,
  claimed: StoredItem,
  input?: ExecutorRequest,
): Promise<StoredItem | undefined> {
  const data = groupData(claimed);
  const { jobName, inputKey, outputKey, attempt } = data;
  if (jobName === undefined || inputKey === undefined || outputKey === undefined) {
    throw new PipelineError(
      `group ${claimed.id} is ${claimed.status} without a claimed job (jobName, inputKey, outputKey); claim it with startGroupJob`,
    );
  }
  let request = input;
  if (request === undefined) {
    try {
      request = await buildExecutorInput(deps, stage, claimed.id, data);
    } catch (error) {
      if (!isUnbuildableInput(error)) throw error;
      return abandonUnbuildableGroup(deps, stage, claimed, error.message);
    }
  }
  await deps.blobs.putJson(inputKey, request);
  const { jobId } = await deps.jobs.submit({
    name: jobName,
    stage: stage.name,
    groupId: claimed.id,
    attempt,
    inputKey,
    outputKey,
    executor: stage.executor,
  });
  const submittedAt = deps.clock.now().toISOString();
  for (let current: StoredItem | undefined = claimed; ; ) {
    const recorded = await patchGroup(deps.store, current, { jobId, submittedAt });
    if (recorded !== undefined) {
      deps.logger.info('job submitted', { groupId: claimed.id, jobName, jobId });
      return recorded;
    }
    // A fast job may already have completed, or a recovering dispatcher recorded the submit first.
    current = await deps.store.get(claimed.id);
    if (current === undefined) return undefined;
    const now = groupData(current);
    if (current.status !== 'running' || now.attempt !== attempt || now.submittedAt !== undefined)
      return current;
  }
}
