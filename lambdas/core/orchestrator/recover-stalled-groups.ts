import type { StageConfig } from '../config/schema.js';
import { abandonUnbuildableGroup } from './abandon-unbuildable-group.js';
import { groupData, groupKind } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { submitClaimedJob } from './submit-claimed-job.js';

/**
 * How long a claimed job may go without `submittedAt` before another run re-submits it. Claim to
 * submit takes milliseconds; the margin keeps a slow but live dispatcher from being overtaken (and
 * a second submit under the same job name starts no second run anyway).
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
  const kind = groupKind(stage.name);
  const resubmitted: string[] = [];
  const now = deps.clock.now().getTime();
  for (const item of await deps.store.list(kind, 'running')) {
    const { claimedAt, submittedAt, jobName } = groupData(item);
    if (submittedAt !== undefined || claimedAt === undefined) continue;
    if (now - Date.parse(claimedAt) < CLAIM_GRACE_SECONDS * 1000) continue;
    deps.logger.warn('re-submitting a claimed job whose submit was never recorded', {
      groupId: item.id,
      jobName,
      claimedAt,
    });
    const after = await submitClaimedJob(deps, stage, item);
    if (after?.status === 'running') resubmitted.push(item.id);
  }
  for (const item of await deps.store.list(kind, 'failed')) {
    const data = groupData(item);
    if (data.inputUnbuildable === true) await abandonUnbuildableGroup(deps, stage, item, data.error ?? '');
  }
  return resubmitted;
}
