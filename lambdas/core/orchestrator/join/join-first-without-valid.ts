import type { JoinStageConfig } from '../../config/schema.js';
import { messageId } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type GroupIn } from '../group/group-state.js';
import { missingSideWaits } from '../group/join-wait.js';
import { settleMessage, stageInbox } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { haltJoin } from './halt-join.js';
import { invalidMembers } from './join-claims.js';
import type { JoinMember } from './join-members.js';
import type { JoinOutcome } from './join-outcome.js';

/** The join run again over a group grown by the results that arrived meanwhile. */
type Rejoin = (
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
) => Promise<JoinOutcome | undefined>;

/**
 * Policy `first`, no valid member yet: one prover's invalid result is that prover's failure, not a
 * soundness issue, so the span waits for another prover's result, which can still win. The group
 * stays `collected` (open for more members: the Match collector leaves later results of the span
 * pending for it) and records why in `lastFailure` (`prover-result-invalid: …`), counted once per
 * new reason (`JoinResultInvalid`). Then:
 * - another input's result of the span is already pending: it joins the group (`memberIds` grown,
 *   the message `collected`) and the join runs again (`rejoin`);
 * - one can still arrive (`missingSideWaits`: its producing group alive, or abandoned until
 *   `ops group retry`): the group waits, named and counted (`JoinWaiting`);
 * - none can: the span halts (`join-no-valid-result: …`, `GroupAbandoned`).
 *
 * Crash windows: after `memberIds` grew but before the message moved, the collector finds it a
 * member and settles it `collected`; every write is conditional, so a concurrent run's loses.
 */
export async function joinFirstWithoutValid(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  members: readonly JoinMember[],
  rejoin: Rejoin,
): Promise<JoinOutcome | undefined> {
  const groups = new GroupRepository(deps.store);
  const invalid = invalidMembers(members) ?? 'no member';
  let current = group;
  if (group.lastFailure?.error !== invalid) {
    const recorded = await groups.move(group, {
      ...commonOf(group),
      status: 'collected',
      lastFailure: { error: invalid },
    });
    if (recorded === undefined) return undefined;
    current = recorded;
    deps.metrics.count(METRIC.joinResultInvalid, 1, { stage: stage.name });
    deps.logger.warn(
      'join: a prover returned an invalid result under policy first; another prover can still win',
      {
        groupId: group.id,
        reason: invalid,
      },
    );
  }
  const present = new Set(members.map((m) => m.topic));
  const arrived = await pendingResults(deps, stage, current, present);
  if (arrived.length > 0) {
    const grown = await groups.move(current, {
      ...commonOf(current),
      status: 'collected',
      memberIds: [...current.memberIds, ...arrived],
    });
    if (grown === undefined) return undefined;
    for (const id of arrived) await settleMessage(deps, id, 'collected');
    return rejoin(deps, stage, grown);
  }
  const waits = await missingSideWaits(deps, stage, current, present);
  const span = `span ${group.start}-${group.end} of join stage "${stage.name}"`;
  if (waits.length === 0) {
    const reason = `join-no-valid-result: ${span}: ${invalid}; no other prover's result can still arrive`;
    return (await haltJoin(deps, stage, current, reason)) === undefined
      ? undefined
      : { status: 'abandoned', reason };
  }
  const reason = `join-waiting: ${span} has no valid result yet (${invalid}): ${waits.join('; ')}`;
  deps.metrics.count(METRIC.joinWaiting, 1, { stage: stage.name });
  deps.logger.warn('join waits for another prover: every result so far is invalid', {
    groupId: group.id,
    reason,
  });
  return { status: 'waiting', reason };
}

/** The stage's pending messages of the span on the input topics no member came on. */
async function pendingResults(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  present: ReadonlySet<string>,
): Promise<string[]> {
  const key = group.matchValue ?? `${group.start}-${group.end}`;
  const ids = stage.inputTopics
    .filter((topic) => !present.has(topic))
    .map((topic) => stageInbox(deps.config, stage.name, topic).itemId(messageId(topic, key)));
  if (ids.length === 0) return [];
  const items = await deps.store.getMany(ids);
  return ids.filter((_, i) => items[i]?.status === 'pending');
}
