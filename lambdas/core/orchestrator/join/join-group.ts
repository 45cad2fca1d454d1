import type { JoinStageConfig } from '../../config/schema.js';
import { METRIC } from '../../ports/telemetry.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type GroupIn } from '../group/group-state.js';
import type { GroupHandover } from '../group/hand-over-group.js';
import { publishResults } from '../messages/publish-results.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { cancelJoinLosers } from './cancel-join-losers.js';
import { claimDisagreement, invalidMembers } from './join-claims.js';
import { type JoinMember, loadJoinMembers } from './join-members.js';

/** What a join did with a formed group: handed one result on, or halted the span. */
export type JoinOutcome =
  | { readonly status: 'succeeded'; readonly forwarded: string; readonly cancelled: readonly string[] }
  | { readonly status: 'abandoned'; readonly reason: string };

/**
 * Event "collected" of a join stage's group (the results of several provers for one span, matched
 * on their key): no job runs, the join decides here.
 *
 * - `all`: every member must be valid (the range plug-in's check) and their claims equal
 *   (`JOINED_CLAIMS`); then the `forward` topic's result is published on the stage's output topic
 *   under the same key and the group is `succeeded`. Otherwise the span halts: the group goes
 *   `collected → failed → abandoned` with the reason stored (`provers-disagree: …` or
 *   `prover-result-invalid: …`), `ProverDisagreement` is counted and nothing is published, so the
 *   aggregate stage waits for the span and nothing built on it reaches L1.
 * - `first`: the group formed at its first member; a valid one is published at once (even when it
 *   is not the `forward` topic's: whichever comes first is handed on) and the other stages' groups
 *   of the span are cancelled (`cancelJoinLosers`). An invalid first member halts the span as above.
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
  const members = await loadJoinMembers(deps, stage, group);
  const problem = invalidMembers(members) ?? claimDisagreement(members);
  if (problem !== undefined) return halt(deps, stage, group, problem);
  const valid = members.filter((m): m is JoinMember & { valid: true } => m.valid);
  const chosen = stage.join.policy === 'all' ? valid.find((m) => m.topic === stage.join.forward) : valid[0];
  if (chosen === undefined) {
    return halt(deps, stage, group, `join-forward-missing: no member from topic "${stage.join.forward}"`);
  }
  await publishResults(deps, stage, [chosen.result], group.attempt);
  const groups = new GroupRepository(deps.store);
  const done = await groups.move(group, { ...commonOf(group), status: 'succeeded' });
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

async function halt(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  reason: string,
): Promise<JoinOutcome | undefined> {
  const groups = new GroupRepository(deps.store);
  const failed = await groups.move(group, {
    ...commonOf(group),
    status: 'failed',
    lastFailure: { error: reason },
  });
  if (failed === undefined) return undefined;
  await groups.move(failed, { ...commonOf(failed), status: 'abandoned' });
  deps.metrics.count(METRIC.proverDisagreement, 1, { stage: stage.name });
  deps.logger.error('join halted the span: a person must look before it can reach L1', {
    groupId: group.id,
    start: group.start.toString(),
    end: group.end.toString(),
    reason,
  });
  return { status: 'abandoned', reason };
}

/** `joinGroup` as a hand-over: where the collected join group went. */
export async function joinHandover(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
): Promise<GroupHandover | undefined> {
  const joined = await joinGroup(deps, stage, group);
  return joined === undefined ? undefined : { groupId: group.id, status: joined.status };
}
