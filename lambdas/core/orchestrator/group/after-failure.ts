import type { StageConfig } from '../../config/schema.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { abandonGroup } from './abandon-group.js';
import { bisectGroup } from './bisect-group.js';
import { CONFLICT, type Conflict } from './group-repository.js';
import type { Group, GroupIn } from './group-state.js';
import { handOverChildren } from './hand-over-group.js';
import type { CompletionOutcome } from './job-completion.js';
import { retryGroup } from './retry-group.js';

/**
 * The failure policy, for a group in `failed`: an unbuildable input is abandoned; a retry while its
 * failures stay under the stage's `executor.attempts`; then bisect (stages with `onExhausted:
 * bisect`) or abandon. Repeatable: a run that finds the group already moved gets a conflict.
 */
export async function afterFailure(
  deps: OrchestratorDeps,
  stage: StageConfig,
  failed: GroupIn<'failed'>,
): Promise<CompletionOutcome | Conflict> {
  if (failed.lastFailure.inputUnbuildable === true) {
    return (await abandonGroup(deps, stage, failed, 'its executor input cannot be built')) === undefined
      ? CONFLICT
      : 'abandoned';
  }
  if (failed.failures < stage.executor.attempts) return startedOutcome(await retryGroup(deps, stage, failed));
  if (stage.executor.onExhausted === 'bisect') {
    const split = await bisectGroup(deps, stage, failed);
    if (split === undefined) return CONFLICT;
    if (split !== 'unsplittable') {
      await handOverChildren(deps, stage, split.childGroupIds);
      return 'split';
    }
  }
  return (await abandonGroup(deps, stage, failed, 'attempts exhausted')) === undefined
    ? CONFLICT
    : 'abandoned';
}

/** What starting a retried attempt came to. */
export function startedOutcome(started: Group | undefined): CompletionOutcome | Conflict {
  if (started === undefined) return CONFLICT;
  return started.status === 'abandoned' ? 'abandoned' : 'retried';
}
