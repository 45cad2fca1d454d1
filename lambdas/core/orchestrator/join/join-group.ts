import type { JoinStageConfig } from '../../config/schema.js';
import { METRIC } from '../../ports/telemetry.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type GroupIn } from '../group/group-state.js';
import type { GroupHandover } from '../group/hand-over-group.js';
import { publishResults } from '../messages/publish-results.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { cancelJoinLosers } from './cancel-join-losers.js';
import { haltJoin } from './halt-join.js';
import { claimDisagreement, invalidMembers } from './join-claims.js';
import { joinFirstWithoutValid } from './join-first-without-valid.js';
import { JoinMemberUnreadableError } from './join-member-unreadable-error.js';
import { type JoinMember, loadJoinMembers } from './join-members.js';
import type { JoinOutcome } from './join-outcome.js';

/**
 * Event "collected" of a join stage's group (the results of several provers for one span, matched
 * on their key): no job runs, the join decides here.
 *
 * - `all`: every member must be valid (the range plug-in's check) and their claims equal
 *   (`JOINED_CLAIMS`); then the `forward` topic's result is published on the stage's output topic
 *   under the same key and the group is `succeeded`. Otherwise the span halts (`haltJoin`): the
 *   reason stored (`provers-disagree: …` or `prover-result-invalid: …`), `ProverDisagreement`
 *   counted and nothing published, so nothing built on the span reaches L1.
 * - `first`: the group formed at its first member; the first valid one is published at once (even
 *   when it is not the `forward` topic's) and the other stages' groups of the span are cancelled
 *   (`cancelJoinLosers`). Without a valid member the group stays `collected` and waits for another
 *   prover's result (`joinFirstWithoutValid`), halting only when none can still arrive.
 *
 * A member whose result cannot be read is an infrastructure fault, not a verdict: counted
 * (`JoinMemberUnreadable`), logged, and thrown (`JoinMemberUnreadableError`), so the group stays
 * `collected` and the caller's retry (a redelivery, the next sweep) joins it again.
 *
 * Publish comes before the move (a crash between republishes the same deterministic id, recorded
 * once downstream); a crash after the move but before the cancel leaves a loser running, whose
 * result is later `skipped` by the collector. Returns undefined when another caller moved it first.
 */
export async function joinGroup(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
): Promise<JoinOutcome | undefined> {
  const members = await readMembers(deps, stage, group);
  const valid = members.filter((m): m is JoinMember & { valid: true } => m.valid);
  if (stage.join.policy === 'first') {
    const [winner] = valid;
    if (winner === undefined) return joinFirstWithoutValid(deps, stage, group, members, joinGroup);
    return handOn(deps, stage, group, winner);
  }
  const problem = invalidMembers(members) ?? claimDisagreement(members);
  if (problem !== undefined) return halted(deps, stage, group, problem);
  const chosen = valid.find((m) => m.topic === stage.join.forward);
  if (chosen === undefined) {
    return halted(deps, stage, group, `join-forward-missing: no member from topic "${stage.join.forward}"`);
  }
  return handOn(deps, stage, group, chosen);
}

async function readMembers(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
): Promise<JoinMember[]> {
  try {
    return await loadJoinMembers(deps, stage, group);
  } catch (error) {
    if (error instanceof JoinMemberUnreadableError) {
      deps.metrics.count(METRIC.joinMemberUnreadable, 1, { stage: stage.name });
      deps.logger.error(
        'join cannot read a member result: an infrastructure fault, joined again on the next run',
        {
          groupId: group.id,
          reason: error.reason,
        },
      );
    }
    throw error;
  }
}

async function handOn(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  chosen: JoinMember & { valid: true },
): Promise<JoinOutcome | undefined> {
  await publishResults(deps, stage, [chosen.result], group.attempt);
  const done = await new GroupRepository(deps.store).move(group, { ...commonOf(group), status: 'succeeded' });
  if (done === undefined) return undefined;
  const cancelled = stage.join.policy === 'first' ? await cancelJoinLosers(deps, stage, group, chosen) : [];
  deps.logger.info('join handed a result on', {
    groupId: group.id,
    policy: stage.join.policy,
    forwarded: chosen.messageId,
    cancelled,
  });
  return { status: 'succeeded', forwarded: chosen.messageId, cancelled };
}

/** `haltJoin` as a join outcome. */
async function halted(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  reason: string,
): Promise<JoinOutcome | undefined> {
  return (await haltJoin(deps, stage, group, reason)) === undefined
    ? undefined
    : { status: 'abandoned', reason };
}

/** `joinGroup` as a hand-over: where the collected join group went (undefined while it waits). */
export async function joinHandover(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
): Promise<GroupHandover | undefined> {
  const joined = await joinGroup(deps, stage, group);
  return joined === undefined || joined.status === 'waiting'
    ? undefined
    : { groupId: group.id, status: joined.status };
}
