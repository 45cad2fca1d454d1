import type { AggregateInputs } from './build-aggregate-request.js';
import { groupData } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { stageNamed } from './pipeline-stages.js';
import { startGroupJob } from './start-group-job.js';

/**
 * Starts an aggregate group's job once the proposer has checkpointed an L1 block for it: records
 * the checkpoint, range vkey and prover address on the group (retries reuse them), claims it
 * (`awaiting-checkpoint → running`) and submits the job. Returns `not-awaiting` when the group is
 * unknown or not waiting (already submitted by an earlier or concurrent call), `abandoned` when the
 * group's input cannot be built (a range proof missing or invalid: the group is abandoned and
 * `METRIC.groupAbandoned` counted, so it never blocks the proposer's other groups).
 *
 * @example
 * await submitCheckpointedGroup(deps, 'aggregate/100-400', { checkpoint, rangeVkey, proverAddress });
 */
export async function submitCheckpointedGroup(
  deps: OrchestratorDeps,
  groupId: string,
  input: AggregateInputs,
): Promise<'submitted' | 'not-awaiting' | 'abandoned'> {
  const item = await deps.store.get(groupId);
  if (item === undefined || item.status !== 'awaiting-checkpoint') return 'not-awaiting';
  const stage = stageNamed(deps.config, groupData(item).stage);
  const started = await startGroupJob(deps, stage, item, {
    checkpoint: input.checkpoint,
    rangeVkey: input.rangeVkey,
    proverAddress: input.proverAddress,
  });
  if (started === undefined) return 'not-awaiting';
  return started.status === 'abandoned' ? 'abandoned' : 'submitted';
}
