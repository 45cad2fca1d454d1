import type { JoinStageConfig } from '../../config/schema.js';
import { topicProducers } from '../../config/topic-producers.js';
import { groupId } from '../../messages/ids.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type Group } from '../group/group-state.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** Statuses of a proving group whose work is still to come (its result is not published yet). */
const UNFINISHED: readonly Group['status'][] = [
  'collected',
  'awaiting-checkpoint',
  'running',
  'retried',
  'failed',
];

/**
 * Policy `first`, after the winner's result was handed on: the other input stages' groups of the
 * same span (`<stage>/<start>-<end>`, as their Sequential collectors cut it) are ended
 * (`→ failed → abandoned`, the reason stored) and a running job is terminated after its group moved,
 * so that its FAILED event finds nothing waiting. A loser that already succeeded is left alone: its
 * result reaches the join stage late and is `skipped` there. Returns the ids of the groups ended.
 */
export async function cancelJoinLosers(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  span: { readonly start: bigint; readonly end: bigint },
  winner: { readonly topic: string; readonly prover: string },
): Promise<string[]> {
  const producers = topicProducers(deps.config);
  const groups = new GroupRepository(deps.store);
  const ended: string[] = [];
  for (const topic of stage.inputTopics) {
    const producer = producers.get(topic);
    if (topic === winner.topic || producer?.kind !== 'stage') continue;
    const id = groupId(producer.stage.name, span.start, span.end);
    const reason = `join-lost: ${winner.prover}'s result for span ${span.start}-${span.end} was handed on first by join stage "${stage.name}"`;
    const group = await groups.get(id);
    if (group === undefined || !UNFINISHED.includes(group.status)) continue;
    const job = 'job' in group ? group.job : undefined;
    const failed =
      group.status === 'failed'
        ? group
        : await groups.move(group, {
            ...commonOf(group),
            status: 'failed',
            ...(job === undefined ? {} : { job }),
            lastFailure: { error: reason },
          });
    if (failed === undefined) continue;
    const abandoned = await groups.move(failed, {
      ...commonOf(failed),
      status: 'abandoned',
      ...(job === undefined ? {} : { job }),
      expiredReason: reason,
    });
    if (abandoned === undefined) continue;
    ended.push(id);
    const stopped =
      job === undefined
        ? 0
        : await deps.jobs.terminate({ stage: producer.stage.name, name: job.name }, reason);
    deps.logger.info('join loser cancelled', { groupId: id, jobsStopped: stopped, reason });
  }
  return ended;
}
