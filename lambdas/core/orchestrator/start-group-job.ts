import type { StageConfig } from '../config/schema.js';
import { jobInputKey, jobOutputKey } from '../messages/blob-keys.js';
import type { StoredItem } from '../ports/state-store.js';
import { buildExecutorInput } from './build-executor-input.js';
import { type GroupData, groupData, moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/** Deterministic job name: `<stage>-<start>-<end>-a<attempt>` (Batch names allow letters, digits, - and _). */
export function jobName(stage: string, start: string, end: string, attempt: number): string {
  return `${stage}-${start}-${end}-a${attempt}`;
}

/**
 * Runs a group's current attempt: writes the executor input to the blob store, submits the job
 * under its deterministic name and moves the group to `running`. Every step is repeatable (same
 * blob key, same job name: the runner does not start a second run), so a crash before the status
 * write is finished by the next call. Returns the running item, or undefined when another writer
 * moved the group first.
 */
export async function startGroupJob(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
  patch: Partial<GroupData> = {},
): Promise<StoredItem | undefined> {
  const data: GroupData = { ...groupData(item), ...patch };
  const start = BigInt(data.start);
  const end = BigInt(data.end);
  const inputKey = jobInputKey(stage.name, start, end, data.attempt);
  const outputKey = jobOutputKey(stage.name, start, end, data.attempt);
  const name = jobName(stage.name, data.start, data.end, data.attempt);
  await deps.blobs.putJson(inputKey, await buildExecutorInput(deps, stage, item.id, data));
  const { jobId } = await deps.jobs.submit({
    name,
    stage: stage.name,
    groupId: item.id,
    attempt: data.attempt,
    inputKey,
    outputKey,
    executor: stage.executor,
  });
  const running = await moveGroup(deps.store, item, 'running', {
    ...patch,
    jobName: name,
    jobId,
    inputKey,
    outputKey,
  });
  if (running !== undefined) deps.logger.info('job submitted', { groupId: item.id, jobName: name, jobId });
  return running;
}
