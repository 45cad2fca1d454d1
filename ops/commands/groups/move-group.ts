import type { JoinStageConfig } from '../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../lambdas/core/config/stage-schema.js';
import { abandonGroup } from '../../../lambdas/core/orchestrator/group/abandon-group.js';
import { bisectGroup } from '../../../lambdas/core/orchestrator/group/bisect-group.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group, GroupIn } from '../../../lambdas/core/orchestrator/group/group-state.js';
import { handOverChildren } from '../../../lambdas/core/orchestrator/group/hand-over-group.js';
import { retryAbandonedGroup, retryGroup } from '../../../lambdas/core/orchestrator/group/retry-group.js';
import { retryJoinGroup } from '../../../lambdas/core/orchestrator/join/rejoin-group.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { GROUP_TRANSITIONS, type GroupStatus } from '../../../lambdas/core/status.js';
import { OpsError } from '../../output/ops-error.js';
import { coveringGroups } from './covering-groups.js';
import { findGroup } from './find-group.js';
import { recordOperatorAction } from './operator-log.js';

/** A move an operator asks for, and the status it takes a failed group to. */
export type GroupMoveAction = 'retry' | 'bisect' | 'abandon';
const TARGET_STATUS: Record<GroupMoveAction, GroupStatus> = {
  retry: 'retried',
  bisect: 'split',
  abandon: 'abandoned',
};

/** What a move did: the group before and after (and a bisection's children). */
export interface GroupMoveOutcome {
  readonly action: GroupMoveAction;
  readonly groupId: string;
  readonly from: GroupStatus;
  /** The group's status once the orchestrator continued (a retry goes on to running or awaiting-checkpoint). */
  readonly to: GroupStatus;
  readonly children?: readonly string[];
  readonly by: string;
  readonly at: string;
  readonly reason?: string;
}

/**
 * Moves group `id` by hand through the orchestrator's own lifecycle functions (`retryGroup`,
 * `bisectGroup` then `handOverChildren`, `abandonGroup`), only where the transition table allows it,
 * and records who, when and why in `operator-log/<id>` (an abandon also stores the reason on the
 * group item, as `expiredReason`). A retry also takes an abandoned group (`retryAbandonedGroup`:
 * its attempts again), unless it never ran (a Match group closed incomplete) or another group now
 * covers its blocks (`prove-range`). A halted join group's retry re-proves its members and joins
 * the span again (`rejoin`); a join group takes no other move.
 * @throws OpsError when the group is unknown, the table forbids the move (naming the allowed ones),
 * the group cannot be split, an abandoned group cannot be retried, or another writer moved it meanwhile.
 */
export async function moveGroup(
  deps: OrchestratorDeps,
  request: {
    readonly action: GroupMoveAction;
    readonly id: string;
    readonly by: string;
    readonly reason?: string | undefined;
  },
): Promise<GroupMoveOutcome> {
  const { action, id, by, reason } = request;
  const { group, stage } = await findGroup(deps, id);
  if (!isProvingStage(stage)) {
    if (action !== 'retry' || group.status !== 'abandoned')
      throw new OpsError(
        `group ${id} belongs to join stage "${stage.name}", which runs no job to ${action}: only a halted (abandoned) join group is retried (its members re-proven, then joined again); move the proving stages' groups of span ${group.start}-${group.end} instead (\`npm run ops -- groups list --stage <name>\`)`,
      );
    return rejoin(deps, stage, group, request);
  }
  // Only a person retries an abandoned group; every other move starts from `failed`.
  const abandoned = action === 'retry' && group.status === 'abandoned' ? group : undefined;
  if (abandoned !== undefined) await requireRetriable(deps, abandoned);
  const at = deps.clock.now().toISOString();
  const moved = (to: GroupStatus, children?: readonly string[]): GroupMoveOutcome => ({
    action,
    groupId: id,
    from: group.status,
    to,
    ...(children === undefined ? {} : { children }),
    by,
    at,
    ...(reason === undefined ? {} : { reason }),
  });
  let outcome: GroupMoveOutcome;
  if (abandoned !== undefined) {
    const retried = await retryAbandonedGroup(deps, stage, abandoned);
    if (retried === undefined) throw conflict(id);
    outcome = moved(retried.status);
  } else if (action === 'retry') {
    const retried = await retryGroup(deps, stage, requireFailed(group, action));
    if (retried === undefined) throw conflict(id);
    outcome = moved(retried.status);
  } else if (action === 'bisect') {
    const failed = requireFailed(group, action);
    const split = await bisectGroup(deps, stage, failed);
    if (split === undefined) throw conflict(id);
    if (split === 'unsplittable')
      throw new OpsError(
        `group ${id} cannot be bisected: it has ${failed.memberIds.length} member(s) or stage "${stage.name}" is not Sequential; retry it or abandon it with a reason`,
      );
    await handOverChildren(deps, stage, split.childGroupIds);
    outcome = moved('split', split.childGroupIds);
  } else {
    const failed = requireFailed(group, action);
    if (reason === undefined || reason.trim() === '')
      throw new OpsError(
        `group abandon ${id}: say why with --reason "…" (stored on the group for the next person)`,
      );
    const ended = await abandonGroup(deps, stage, failed, `by ${by}: ${reason}`);
    if (ended === undefined) throw conflict(id);
    // A data-only write on a terminal group: no orchestrator write follows that could drop it.
    await new GroupRepository(deps.store).move(ended, {
      ...ended,
      expiredReason: `abandoned by ${by} at ${at}: ${reason}`,
    });
    outcome = moved('abandoned');
  }
  await recordOperatorAction(deps.store, id, {
    action,
    by,
    at,
    from: group.status,
    to: TARGET_STATUS[action],
    ...(reason === undefined ? {} : { reason }),
  });
  return outcome;
}

function requireFailed(group: Group, action: GroupMoveAction): GroupIn<'failed'> {
  if (group.status === 'failed') return group;
  const allowed = GROUP_TRANSITIONS[group.status];
  const reprove =
    group.status === 'abandoned'
      ? `; to run it again: \`npm run ops -- group retry ${group.id}\``
      : group.status === 'split'
        ? `; to prove its blocks again: \`npm run ops -- prove-range ${group.start} ${group.end} --stage ${group.stage}\``
        : '';
  const which = action === 'retry' ? 'a failed or abandoned group' : 'a failed group';
  throw new OpsError(
    `group ${group.id} is "${group.status}": ${action} moves ${which} to "${TARGET_STATUS[action]}"; from "${group.status}" the transition table allows: ${allowed.length === 0 ? 'none (terminal)' : allowed.join(', ')}${reprove}`,
  );
}

/**
 * An abandoned group may be retried when it had a failed attempt and no other group of its stage
 * covers its blocks now (a `prove-range` over them would prove the same members twice).
 */
async function requireRetriable(deps: OrchestratorDeps, group: GroupIn<'abandoned'>): Promise<void> {
  if (group.lastFailure === undefined)
    throw new OpsError(
      `group ${group.id} was abandoned without a failed attempt (${group.expiredReason ?? 'no reason stored'}): there is nothing to retry`,
    );
  const covering = await coveringGroups(deps, group.stage, group, group.id);
  if (covering.length > 0)
    throw new OpsError(
      `group ${group.id} cannot be retried: ${covering.map((g) => `${g.id} (${g.status})`).join(', ')} now cover(s) its blocks; look at that group instead`,
    );
}

function conflict(id: string): OpsError {
  return new OpsError(
    `group ${id} was moved by another writer while this command ran: look again with \`npm run ops -- group show ${id}\``,
  );
}

/**
 * `group retry` of a halted join group (`retryJoinGroup`): its members' producing groups re-prove
 * the span in place (fix the prover first), then the span joins again over the current members
 * (at once for members that could not be re-proven). `to` is where the group stands: `retried`
 * while the re-proofs run, else the join's outcome.
 * @throws OpsError on a conflict.
 */
async function rejoin(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'abandoned'>,
  request: { readonly id: string; readonly by: string; readonly reason?: string | undefined },
): Promise<GroupMoveOutcome> {
  const { id, by, reason } = request;
  const at = deps.clock.now().toISOString();
  const why = `re-join of ${id} asked by ${by}${reason === undefined ? '' : `: ${reason}`}`;
  const { reprove, group: retried } = await retryJoinGroup(deps, stage, group, why);
  if (retried === undefined) throw conflict(id);
  if (reprove.notReopenable.length > 0)
    deps.logger.warn('join retry: members whose producing group cannot re-prove them join as they are', {
      groupId: id,
      notReopenable: reprove.notReopenable,
    });
  await recordOperatorAction(deps.store, id, {
    action: 'retry',
    by,
    at,
    from: group.status,
    to: 'retried',
    ...(reason === undefined ? {} : { reason }),
  });
  return {
    action: 'retry',
    groupId: id,
    from: group.status,
    to: retried.status,
    by,
    at,
    ...(reason === undefined ? {} : { reason }),
  };
}
