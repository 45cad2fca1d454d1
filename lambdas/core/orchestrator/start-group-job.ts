import type { StageConfig } from '../config/schema.js';
import type { ExecutorRequest } from '../executor/program-contracts.js';
import { jobInputKey, jobOutputKey } from '../messages/blob-keys.js';
import type { StoredItem } from '../ports/state-store.js';
import { abandonUnbuildableGroup, isUnbuildableInput } from './abandon-unbuildable-group.js';
import { buildExecutorInput } from './build-executor-input.js';
import { type GroupData, groupData, moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { submitClaimedJob } from './submit-claimed-job.js';

/** Deterministic job name: `<stage>-<start>-<end>-a<attempt>` (Batch names allow letters, digits, - and _). */
export function jobName(stage: string, start: string, end: string, attempt: number): string {
  return `${stage}-${start}-${end}-a${attempt}`;
}

/**
 * Runs a group's current attempt (from `collected`, `awaiting-checkpoint` or `retried`):
 * 1. builds the executor input (reads only); if it cannot be built — a member or payload blob is
 *    missing or invalid — the group is abandoned (`→ failed → abandoned`) instead of blocking;
 * 2. claims the attempt: a version-conditional move to `running` recording `jobName`, `attempt`,
 *    `inputKey`, `outputKey` and `claimedAt`, so of two concurrent callers only one goes on;
 * 3. writes the input, submits the job under its deterministic name and records `jobId` and
 *    `submittedAt` (`submitClaimedJob`).
 * A crash between 2 and 3 leaves a `running` group without `submittedAt`; `runCollectors`
 * re-submits it under the same name once `CLAIM_GRACE_SECONDS` have passed.
 *
 * Returns the running item; the abandoned item when the input cannot be built; undefined when
 * another writer moved the group first.
 */
export async function startGroupJob(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
  patch: Partial<GroupData> = {},
): Promise<StoredItem | undefined> {
  const data: GroupData = { ...groupData(item), ...patch };
  let input: ExecutorRequest;
  try {
    input = await buildExecutorInput(deps, stage, item.id, data);
  } catch (error) {
    if (!isUnbuildableInput(error)) throw error;
    return abandonUnbuildableGroup(deps, stage, item, error.message);
  }
  const start = BigInt(data.start);
  const end = BigInt(data.end);
  const claimed = await moveGroup(
    deps.store,
    item,
    'running',
    {
      ...patch,
      attempt: data.attempt,
      jobName: jobName(stage.name, data.start, data.end, data.attempt),
      inputKey: jobInputKey(stage.name, start, end, data.attempt),
      outputKey: jobOutputKey(stage.name, start, end, data.attempt),
      claimedAt: deps.clock.now().toISOString(),
    },
    ['jobId', 'submittedAt'],
  );
  if (claimed === undefined) return undefined;
  return submitClaimedJob(deps, stage, claimed, input);
}
