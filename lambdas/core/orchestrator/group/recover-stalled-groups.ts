import type { StageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { abandonGroup } from './abandon-group.js';
import { GroupRepository } from './group-repository.js';
import { submitJob } from './submit-job.js';

/**
 * How long a claimed job may go without a recorded submission before another run re-submits it.
 * Claim to submit takes milliseconds; the margin keeps a slow but live dispatcher from being
 * overtaken (and a second submit under the same job name starts no second run anyway).
 */
export const CLAIM_GRACE_SECONDS = 60;

/**
 * Finishes groups a crashed run left between two writes, for one stage:
 * - `running` groups claimed more than `CLAIM_GRACE_SECONDS` ago whose submit was never recorded
 *   are re-submitted under the same deterministic job name;
 * - `failed` groups whose input could not be built are moved on to `abandoned`.
 * Returns the ids of the groups it re-submitted.
 */
export async function recoverStalledGroups(deps: OrchestratorDeps, stage: StageConfig): Promise<string[]> {
  const groups = new GroupRepository(deps.store);
  const resubmitted: string[] = [];
  const now = deps.clock.now().getTime();
  for (const group of await groups.list(stage.name, 'running')) {
    const { job } = group;
    if (job.submission !== undefined) continue;
    if (now - Date.parse(job.claimedAt) < CLAIM_GRACE_SECONDS * 1000) continue;
    deps.logger.warn('re-submitting a claimed job whose submit was never recorded', {
      groupId: group.id,
      jobName: job.name,
      claimedAt: job.claimedAt,
    });
    const after = await submitJob(deps, stage, group);
    if (after?.status === 'running') resubmitted.push(group.id);
  }
  for (const group of await groups.list(stage.name, 'failed')) {
    if (group.lastFailure.inputUnbuildable === true)
      await abandonGroup(deps, stage, group, 'its executor input cannot be built');
  }
  return resubmitted;
}
