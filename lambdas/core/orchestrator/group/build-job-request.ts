import type { ProvingStageConfig } from '../../config/schema.js';
import { InvalidInputError, MissingBlobError } from '../../errors.js';
import type { StoredItem } from '../../ports/state-store.js';
import { loadMemberPayloads } from '../messages/load-member-payloads.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { Group } from './group-state.js';

/**
 * The executor input of a group's current attempt, built by the stage's program from the member
 * payloads (and the proposer's grant, for checkpointed stages). Reads only; not the member items
 * the caller holds (`held`, `loadMemberPayloads`).
 * @throws InvalidInputError / MissingBlobError when it cannot be built from what is stored
 * (`isUnbuildableInput`); PipelineError when a grant the program needs is missing.
 */
export async function buildJobRequest(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: Group,
  held?: readonly StoredItem[],
): Promise<unknown> {
  const members = await loadMemberPayloads(deps, group, held);
  return deps.programs[stage.executor.program].buildRequest({
    stage,
    groupId: group.id,
    start: group.start,
    end: group.end,
    members,
    ...(group.grant === undefined ? {} : { grant: group.grant }),
  });
}

/**
 * Whether `error` says a group's executor input cannot be built from what is stored (a member
 * message or payload blob missing or not of the program's shape). Such a group can never run, so
 * it is abandoned instead of blocking its stage; any other error (a store outage) is left to the
 * caller's retry.
 */
export function isUnbuildableInput(error: unknown): error is InvalidInputError | MissingBlobError {
  return error instanceof InvalidInputError || error instanceof MissingBlobError;
}
