import type { JoinStageConfig } from '../../config/schema.js';
import { METRIC } from '../../ports/telemetry.js';
import { GroupRepository } from '../group/group-repository.js';
import { commonOf, type GroupIn } from '../group/group-state.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/**
 * Halts a join group's span for good: `<collected> → failed` with `reason` stored, then
 * `failed → abandoned` (`abandonHaltedJoin`). Nothing is published, so the aggregate stage waits for
 * the span and nothing built on it reaches L1. Crash window: a crash between the two writes leaves
 * the group `failed`, which every sweep of the join stage finishes (`finishHaltedJoins`). Returns
 * undefined when another writer moved the group first.
 */
export async function haltJoin(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: GroupIn<'collected'>,
  reason: string,
): Promise<GroupIn<'abandoned'> | undefined> {
  const failed = await new GroupRepository(deps.store).move(group, {
    ...commonOf(group),
    status: 'failed',
    lastFailure: { error: reason },
  });
  return failed === undefined ? undefined : abandonHaltedJoin(deps, stage, failed);
}

/**
 * The second write of a halt (`failed → abandoned`), with the page: `ProverDisagreement` under
 * policy `all` (a soundness tripwire), `GroupAbandoned` under `first` (no valid result can arrive),
 * and an error log naming the stored reason and the way on (`ops group retry <id>`).
 */
export async function abandonHaltedJoin(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  failed: GroupIn<'failed'>,
): Promise<GroupIn<'abandoned'> | undefined> {
  const abandoned = await new GroupRepository(deps.store).move(failed, {
    ...commonOf(failed),
    status: 'abandoned',
  });
  if (abandoned === undefined) return undefined;
  const metric = stage.join.policy === 'all' ? METRIC.proverDisagreement : METRIC.groupAbandoned;
  deps.metrics.count(metric, 1, { stage: stage.name });
  deps.logger.error('join halted the span: a person must look before it can reach L1', {
    groupId: failed.id,
    start: failed.start.toString(),
    end: failed.end.toString(),
    reason: failed.lastFailure.error,
    wayOn: `fix the prover, re-prove its side of the span, then \`ops group retry ${failed.id}\` joins again`,
  });
  return abandoned;
}

/**
 * Sweep of a join stage: every `failed` group is a halt a crash interrupted between its two
 * writes (a join group has no job to retry), so it is moved on to `abandoned` with its page.
 * Returns the ids of the groups it finished.
 */
export async function finishHaltedJoins(deps: OrchestratorDeps, stage: JoinStageConfig): Promise<string[]> {
  const finished: string[] = [];
  for (const failed of await new GroupRepository(deps.store).list(stage.name, 'failed')) {
    deps.logger.warn('finishing a join halt left between two writes', { groupId: failed.id });
    if ((await abandonHaltedJoin(deps, stage, failed)) !== undefined) finished.push(failed.id);
  }
  return finished;
}
