import type { ProvingStageConfig } from '../../config/schema.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';

/**
 * Ends a failed group for good (`failed → abandoned`), counting `METRIC.groupAbandoned` and logging
 * `why` at error level: an operator must look. Returns the abandoned group, or undefined when
 * another writer moved it first.
 */
export async function abandonGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  failed: GroupIn<'failed'>,
  why: string,
): Promise<GroupIn<'abandoned'> | undefined> {
  const { job } = failed;
  const abandoned = await new GroupRepository(deps.store).move(failed, {
    ...commonOf(failed),
    status: 'abandoned',
    ...(job === undefined ? {} : { job }),
  });
  if (abandoned === undefined) return undefined;
  deps.metrics.count(METRIC.groupAbandoned, 1, { stage: stage.name });
  deps.logger.error(`group abandoned: ${why}`, {
    groupId: failed.id,
    attempt: failed.attempt,
    error: failed.lastFailure.error,
  });
  return abandoned;
}

/**
 * Abandons a group whose executor input cannot be built: `<status> → failed` with the error and
 * `inputUnbuildable` recorded, then `failed → abandoned`. A repeat on the `failed` group (after a
 * crash between the writes) finishes the move. A claimed job (a running group's submit may have
 * reached the runner before a crash) is terminated after the move, with its hedge, so it does not
 * burn GPU time for a group nothing waits on. Returns undefined when another writer moved it first.
 */
export async function abandonUnbuildableGroup(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: Group,
  error: string,
): Promise<GroupIn<'abandoned'> | undefined> {
  const failed =
    group.status === 'failed'
      ? group
      : await new GroupRepository(deps.store).move(group, {
          ...commonOf(group),
          status: 'failed',
          // Keep the claimed job (a running group's submit may already have reached the runner).
          ...('job' in group && group.job !== undefined ? { job: group.job } : {}),
          lastFailure: { error, inputUnbuildable: true },
        });
  if (failed === undefined) return undefined;
  const abandoned = await abandonGroup(deps, stage, failed, 'its executor input cannot be built');
  if (abandoned === undefined || failed.job === undefined) return abandoned;
  const reason = `group-abandoned: ${failed.id}'s executor input cannot be built`;
  for (const name of [failed.job.name, failed.job.hedge?.name]) {
    if (name !== undefined) await deps.jobs.terminate({ stage: stage.name, name }, reason);
  }
  return abandoned;
}
