import type { ProvingStageConfig } from '../../config/schema.js';
import type { StoredItem } from '../../ports/state-store.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { abandonUnbuildableGroup } from './abandon-group.js';
import { buildJobRequest, isUnbuildableInput } from './build-job-request.js';
import { CONFLICT, GroupRepository } from './group-repository.js';
import type { Group, GroupIn } from './group-state.js';

/** What the caller of `submitJob` already holds. */
export interface SubmitOptions {
  /** The executor input, when already built. */
  readonly request?: unknown;
  /** The member items the collector just wrote, to build the input from without reading them. */
  readonly held?: readonly StoredItem[] | undefined;
  /** The caller's own write claimed the job in this very call. */
  readonly claimedJustNow?: boolean;
}

/**
 * Second half of starting a job, after the group was claimed (moved to `running` with its job):
 * writes the executor input, submits the job under its deterministic name, then records the
 * submission (`jobId`, `submittedAt`). `request` is built when not given (crash recovery, or a
 * group created claimed: then from the member items its collector holds, `held`); if it cannot be
 * built the group is abandoned. `claimedJustNow`: the caller's own write claimed the job in this
 * call (`JobSpec.claimedJustNow`: the runner skips its look-up by name); the sweep's re-submission
 * of an old claim leaves it unset.
 *
 * Repeatable: the input lands on the same key and the runner does not start a second run for a
 * known job name. Returns the group as last written or read (the abandoned group when its input
 * cannot be built), or undefined when it is gone.
 */
export async function submitJob(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  claimed: GroupIn<'running'>,
  options: SubmitOptions = {},
): Promise<Group | undefined> {
  const { request, held, claimedJustNow } = options;
  let input = request;
  if (input === undefined) {
    try {
      input = await buildJobRequest(deps, stage, claimed, held);
    } catch (error) {
      if (!isUnbuildableInput(error)) throw error;
      return abandonUnbuildableGroup(deps, stage, claimed, error.message);
    }
  }
  const { job } = claimed;
  await deps.blobs.putJson(job.inputKey, input);
  const { jobId } = await deps.jobs.submit({
    name: job.name,
    stage: stage.name,
    groupId: claimed.id,
    attempt: claimed.attempt,
    inputKey: job.inputKey,
    outputKey: job.outputKey,
    executor: stage.executor,
    afterInfrastructureFailure: claimed.infraFailures > 0,
    ...(claimedJustNow === true ? { claimedJustNow } : {}),
  });
  const submission = { jobId, submittedAt: deps.clock.now().toISOString() };
  const groups = new GroupRepository(deps.store);
  const record = async (group: GroupIn<'running'>) => {
    const recorded = await groups.move(group, { ...group, job: { ...group.job, submission } });
    if (recorded !== undefined)
      deps.logger.info('job submitted', { groupId: claimed.id, jobName: job.name, jobId });
    return recorded;
  };
  const recorded = await record(claimed);
  if (recorded !== undefined) return recorded;
  return groups.update(claimed.id, async (group) => {
    // A fast job may already have completed, or a recovering dispatcher recorded the submit first.
    if (group.status !== 'running' || group.attempt !== claimed.attempt || group.job.submission !== undefined)
      return group;
    return (await record(group)) ?? CONFLICT;
  });
}
