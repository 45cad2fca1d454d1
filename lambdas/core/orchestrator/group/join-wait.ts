import type { JoinStageConfig } from '../../config/schema.js';
import { topicProducers } from '../../config/topic-producers.js';
import { groupId } from '../../messages/ids.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import type { Group } from './group-state.js';

/** Statuses of a proving group that may still publish its result without a person. */
const ALIVE: readonly Group['status'][] = [
  'collected',
  'awaiting-checkpoint',
  'running',
  'retried',
  'failed',
];

/**
 * Why a join whose timeout passed with results missing keeps waiting instead of expiring, or
 * undefined when nothing can still bring the missing results (it then expires as configured).
 *
 * For each input topic without a member, the producing proving stage's group of the same span
 * (`<stage>/<start>-<end>`, as its Sequential collector cut it) decides:
 * - still alive (collected, awaiting its checkpoint, running, retried or failed before its retry):
 *   its own failure policy retries it, so the join waits (`join-waiting: … still <status>`);
 * - abandoned (it failed until a person must look, and `GroupAbandoned` has alarmed): the join waits
 *   named, with the command that lets it go on (`ops group retry <id>`); after the retry succeeds
 *   its result arrives and the join forms as usual;
 * - no group, or one that ended otherwise (invalidated by a rewind, split, succeeded with its result
 *   lost): nothing will come, so the join may expire.
 */
export async function joinWaitReason(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  span: { readonly start: bigint; readonly end: bigint },
  presentTopics: ReadonlySet<string>,
): Promise<string | undefined> {
  const reasons = await missingSideWaits(deps, stage, span, presentTopics);
  if (reasons.length === 0) return undefined;
  return `join-waiting: span ${span.start}-${span.end} of join stage "${stage.name}" past its ${stage.collector.timeoutSeconds} s timeout: ${reasons.join('; ')}`;
}

/**
 * For each input topic not in `presentTopics`, why its result can still arrive (the producing
 * group's state, as `joinWaitReason` describes); empty when none can.
 */
export async function missingSideWaits(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  span: { readonly start: bigint; readonly end: bigint },
  presentTopics: ReadonlySet<string>,
): Promise<string[]> {
  const producers = topicProducers(deps.config);
  const groups = new GroupRepository(deps.store);
  const reasons: string[] = [];
  for (const topic of stage.inputTopics) {
    const producer = producers.get(topic);
    if (presentTopics.has(topic) || producer?.kind !== 'stage') continue;
    const id = groupId(producer.stage.name, span.start, span.end);
    const group = await groups.get(id);
    if (group === undefined) continue;
    if (ALIVE.includes(group.status)) {
      reasons.push(`${id} is still ${group.status} (its own retries run)`);
    } else if (group.status === 'abandoned') {
      const why = group.expiredReason ?? group.lastFailure?.error;
      reasons.push(
        `${id} was abandoned${why === undefined ? '' : ` (${why})`}: a person retries it with \`ops group retry ${id}\``,
      );
    }
  }
  return reasons;
}
