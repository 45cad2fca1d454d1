import type { StageConfig } from '../config/schema.js';
import { PipelineError } from '../errors.js';
import type { ExecutorRequest } from '../executor/program-contracts.js';
import { buildAggregateRequest } from './build-aggregate-request.js';
import { buildRangeRequest } from './build-range-request.js';
import type { GroupData } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * The executor input for a group, by the stage's program. Aggregate groups need the checkpoint,
 * range vkey and prover address recorded on the group by `submitCheckpointedGroup`.
 */
export async function buildExecutorInput(
  deps: OrchestratorDeps,
  stage: StageConfig,
  groupId: string,
  group: GroupData,
): Promise<ExecutorRequest> {
  if (stage.executor.program === 'range') return buildRangeRequest(deps, stage, groupId, group);
  const { checkpoint, rangeVkey, proverAddress } = group;
  if (checkpoint === undefined || rangeVkey === undefined || proverAddress === undefined) {
    throw new PipelineError(
      `group ${groupId}: an aggregate job needs an L1 checkpoint, range vkey and prover address; call submitCheckpointedGroup`,
    );
  }
  return buildAggregateRequest(deps, stage, groupId, group, { checkpoint, rangeVkey, proverAddress });
}
