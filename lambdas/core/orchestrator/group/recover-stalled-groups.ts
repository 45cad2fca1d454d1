import type { ProvingStageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { afterFailure } from './after-failure.js';
import { GroupRepository } from './group-repository.js';
import type { Group, GroupIn } from './group-state.js';
import { continueRetriedGroup } from './retry-group.js';
import { submitJob } from './submit-job.js';

/**
 * How long a group may sit between two writes of one step before the sweep finishes the step. Claim
 * to submit, failed to retried, retried to running take milliseconds; the margin keeps a slow but
 * live handler from being overtaken (and every step is a conditional write, so a race is harmless).
 */
export const CLAIM_GRACE_SECONDS = 60;

/**
 * Finishes steps a crashed run left between two writes, for one stage, without any event being
 * redelivered. Each state's way forward:
 * - `running` claimed more than `CLAIM_GRACE_SECONDS` ago whose submit was never recorded: re-submitted
 *   under the same deterministic job name;
 * - `failed` (the completion handler died after `running → failed`): the failure policy runs
 *   (`afterFailure`: retry, bisect or abandon; an unbuildable input is abandoned);
 * - `retried` (it died after `failed → retried`, or a reopen stopped there; or an infrastructure
 *   retry's backoff is over): the new attempt starts, or the group goes back to `awaiting-checkpoint`.
 * `collected` groups are handed over by every collector run and `running` ones past their timeout are
 * reconciled by `reconcileRunningGroups`. `running`: the stage's running groups when the caller
 * already listed them (the scheduled sweep lists them once for both sweeps). Returns the ids of
 * the groups it moved on.
 */
export async function recoverStalledGroups(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  running?: readonly GroupIn<'running'>[],
): Promise<string[]> {
  const groups = new GroupRepository(deps.store);
  const recovered: string[] = [];
  const now = deps.clock.now().getTime();
  const stalled = (since: string | undefined) =>
    since !== undefined && now - Date.parse(since) >= CLAIM_GRACE_SECONDS * 1000;
  const recover = (group: Group, what: string) => {
    deps.logger.warn(`recovering a group left between two writes: ${what}`, {
      groupId: group.id,
      status: group.status,
      attempt: group.attempt,
    });
    recovered.push(group.id);
  };
  for (const group of running ?? (await groups.list(stage.name, 'running'))) {
    const { job } = group;
    if (job.submission !== undefined || !stalled(job.claimedAt)) continue;
    recover(group, 're-submitting a claimed job whose submit was never recorded');
    await submitJob(deps, stage, group);
  }
  for (const group of await groups.list(stage.name, 'failed')) {
    if (group.lastFailure.inputUnbuildable !== true && !stalled(group.revision?.updatedAt)) continue;
    recover(group, 'applying the failure policy to a failed group');
    await afterFailure(deps, stage, group);
  }
  for (const group of await groups.list(stage.name, 'retried')) {
    const due =
      group.notBefore === undefined ? stalled(group.revision?.updatedAt) : Date.parse(group.notBefore) <= now;
    if (!due) continue;
    recover(group, 'starting the new attempt of a retried group');
    await continueRetriedGroup(deps, stage, group);
  }
  return recovered;
}
