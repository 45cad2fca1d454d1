import { isProvingStage } from '../../config/stage-schema.js';
import { pauseId } from '../../control/pause-switch.js';
import { breakerId } from '../../messages/ids.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { provingStageNamed } from '../setup/pipeline-stages.js';
import type { CheckpointGrant } from '../setup/program-plugin.js';
import { RunReads } from '../setup/run-reads.js';
import { expectedMemberIds } from './expected-members.js';
import { GroupRepository } from './group-repository.js';
import { startJob } from './start-job.js';

/**
 * Event "checkpoint given": starts an `awaiting-checkpoint` group's job once the proposer has
 * checkpointed an L1 block for it. Records the grant (checkpoint, range vkey, prover address; retries
 * reuse it), claims the group (`awaiting-checkpoint → running`) and submits the job. Returns
 * `not-awaiting` when the group is unknown or not waiting (already submitted by an earlier or
 * concurrent call), `abandoned` when its input cannot be built (a range proof missing or invalid:
 * the group is abandoned and `METRIC.groupAbandoned` counted, so it never blocks other groups),
 * `paused` when the stage is paused (`pause/stage/<name>`) or its circuit breaker holds submissions back
 * (the group keeps waiting).
 *
 * The group, the pause switch and circuit breaker of every checkpointed stage (one, in the
 * shipped configs), and the members the group most likely has (`expectedMemberIds`), come in one
 * batch read (`RunReads`) instead of a read each; members guessed wrong are read after the group.
 *
 * @example
 * await giveCheckpoint(deps, 'aggregate/100-400', { checkpoint, rangeVkey, proverAddress });
 */
export async function giveCheckpoint(
  sharedDeps: OrchestratorDeps,
  groupId: string,
  grant: CheckpointGrant,
): Promise<'submitted' | 'not-awaiting' | 'abandoned' | 'paused'> {
  const checkpointed = sharedDeps.config.stages
    .filter(isProvingStage)
    .filter((stage) => stage.executor.l1Checkpoint === true);
  const expected = expectedMemberIds(sharedDeps.config, groupId) ?? [];
  const store = new RunReads(sharedDeps.store, [
    groupId,
    ...checkpointed.flatMap((stage) => [
      pauseId({ kind: 'stage', stage: stage.name }),
      breakerId(stage.name),
    ]),
    ...expected,
  ]);
  const deps = { ...sharedDeps, store };
  const group = await new GroupRepository(store).get(groupId);
  if (group?.status !== 'awaiting-checkpoint') return 'not-awaiting';
  // The guess was right: the members came with the group, so the job input reads none of them again.
  const guessed =
    expected.length > 0 &&
    expected.length === group.memberIds.length &&
    expected.every((id, i) => group.memberIds[i] === id);
  const held = guessed
    ? (await Promise.all(expected.map((id) => store.get(id)))).filter((item) => item !== undefined)
    : undefined;
  const stage = provingStageNamed(deps.config, group.stage);
  const started = await startJob(deps, stage, group, grant, held);
  if (started === undefined) return 'not-awaiting';
  if (started.status === 'awaiting-checkpoint') return 'paused';
  return started.status === 'abandoned' ? 'abandoned' : 'submitted';
}
