import { isProvingStage } from '../../../lambdas/core/config/stage-schema.js';
import { groupId, keyInterval } from '../../../lambdas/core/messages/ids.js';
import { collectedMessages } from '../../../lambdas/core/orchestrator/collector/collected-messages.js';
import { newGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { GroupIn } from '../../../lambdas/core/orchestrator/group/group-state.js';
import { handOverGroup } from '../../../lambdas/core/orchestrator/group/hand-over-group.js';
import { messageData, stageInbox } from '../../../lambdas/core/orchestrator/messages/message-records.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { OpsError } from '../../output/ops-error.js';
import { coveringGroups } from '../groups/covering-groups.js';
import { recordOperatorAction } from '../groups/operator-log.js';

/** The group `prove-range` made and where the orchestrator handed it. */
export interface ProveRangeOutcome {
  readonly groupId: string;
  readonly stage: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly members: readonly string[];
  readonly status: string;
}

/**
 * Submits one group by hand over `(start, end]` of a Sequential stage: its members are the stage's
 * collected input messages (`collectedMessages`: block members stay pending behind the cursor) that tile the span exactly; the group is created `collected` and handed
 * over like a collector's (`handOverGroup`: a job, or awaiting an L1 checkpoint). Its id is
 * `<stage>/<start>-<end>`, or `<stage>/<start>-<end>-p<n>` when an abandoned or split group holds that id.
 * @throws OpsError when the span is empty, the stage is unknown or not Sequential, a group of the
 * stage that still covers its blocks overlaps the span (named), or a part of the span has no collected message.
 */
export async function proveRange(
  deps: OrchestratorDeps,
  request: {
    readonly start: bigint;
    readonly end: bigint;
    readonly stage?: string | undefined;
    readonly by: string;
  },
): Promise<ProveRangeOutcome> {
  const { start, end, by } = request;
  const stage =
    request.stage === undefined
      ? deps.config.stages[0]
      : deps.config.stages.find((s) => s.name === request.stage);
  if (stage === undefined)
    throw new OpsError(
      `unknown stage "${request.stage}": the config's stages are ${deps.config.stages.map((s) => s.name).join(', ')}`,
    );
  if (end <= start)
    throw new OpsError(
      `prove-range ${start} ${end}: the end must be above the start (the range proves blocks start+1 … end)`,
    );
  if (!isProvingStage(stage))
    throw new OpsError(
      `stage "${stage.name}" is a join stage: it runs no jobs, prove-range works on Sequential proving stages only`,
    );
  const rule = stage.collector;
  if (rule.strategy !== 'sequential')
    throw new OpsError(
      `stage "${stage.name}" collects by matching values, not spans: prove-range works on Sequential stages only`,
    );

  const covering = await coveringGroups(deps, stage.name, { start, end });
  if (covering.length > 0)
    throw new OpsError(
      `prove-range ${start} ${end} overlaps ${covering.map((g) => `${g.id} (${g.status})`).join(', ')} of stage "${stage.name}": retry or bisect that group instead, or pick a span outside it`,
    );

  const inbox = stageInbox(deps.config, stage.name, stage.inputTopics[0] ?? '');
  const collected = await collectedMessages(deps.store, stage.name, rule, inbox.kind, start);
  const candidates = collected
    .map((item) => ({ id: item.id, ...keyInterval(messageData(item).envelope.key, rule.keyKind) }))
    .filter((m) => m.start >= start && m.end <= end);
  const members: string[] = [];
  for (let at = start; at < end; ) {
    const next = candidates.filter((m) => m.start === at).sort((a, b) => (a.end > b.end ? -1 : 1))[0];
    if (next === undefined)
      throw new OpsError(
        `prove-range ${start} ${end}: no collected ${stage.inputTopics[0]} message starts at ${at} (blocks from ${at + 1n} are not collected yet, or their results are missing): wait for the collectors, or pick a span they have collected`,
      );
    members.push(next.id);
    at = next.end;
  }

  const base = groupId(stage.name, start, end);
  const groups = new GroupRepository(deps.store);
  let created: GroupIn<'collected'> | undefined;
  for (let n = 0; created === undefined; n++) {
    const id = n === 0 ? base : `${base}-p${n}`;
    created = (await groups.create(newGroup(stage.name, start, end, members, { id }))) as
      | GroupIn<'collected'>
      | undefined;
  }
  const handover = await handOverGroup(deps, stage, created);
  await recordOperatorAction(deps.store, created.id, {
    action: 'prove-range',
    by,
    at: deps.clock.now().toISOString(),
    to: 'collected',
  });
  return {
    groupId: created.id,
    stage: stage.name,
    start,
    end,
    members,
    status: handover?.status ?? 'collected',
  };
}
