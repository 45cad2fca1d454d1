import type { StageConfig } from '../../../lambdas/core/config/schema.js';
import { GroupRepository } from '../../../lambdas/core/orchestrator/group/group-repository.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { OpsError } from '../../output/ops-error.js';

/**
 * The group `id` and its stage's config.
 * @throws OpsError naming the id and how to list the groups when there is no such group or stage.
 */
export async function findGroup(
  deps: OrchestratorDeps,
  id: string,
): Promise<{ group: Group; stage: StageConfig }> {
  const group = await new GroupRepository(deps.store).get(id);
  const stageName = id.split('/')[0] ?? '';
  if (group === undefined)
    throw new OpsError(
      `group ${id} not found: group ids look like <stage>/<start>-<end>; list them with \`npm run ops -- groups list${deps.config.stages.some((s) => s.name === stageName) ? ` --stage ${stageName}` : ''}\``,
    );
  const stage = deps.config.stages.find((s) => s.name === group.stage);
  if (stage === undefined)
    throw new OpsError(`group ${id} belongs to stage "${group.stage}", which the config does not have`);
  return { group, stage };
}
