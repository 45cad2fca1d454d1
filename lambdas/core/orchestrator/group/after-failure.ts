import type { ProvingStageConfig } from '../../config/schema.js';
import { l1ReorgFailureOf } from '../../executor/l1-reorg-failure.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { abandonGroup } from './abandon-group.js';
import { bisectGroup } from './bisect-group.js';
import { CONFLICT, type Conflict } from './group-repository.js';
import type { Group, GroupIn } from './group-state.js';
import { handOverChildren } from './hand-over-group.js';
import { INFRASTRUCTURE_RETRY_LIMIT, infrastructureRetryAt } from './infrastructure-retry.js';
import type { CompletionOutcome } from './job-completion.js';
import { L1_REORG_RETRY_LIMIT, retryAfterL1Reorg } from './retry-after-l1-reorg.js';
import { retryGroup } from './retry-group.js';

/**
 * The failure policy, for a group in `failed`: an unbuildable input is abandoned, and so is a
 * configuration error (`failureClass: configuration`: a prover command not on the job's PATH) at
 * once, its reason naming the command; an infrastructure
 * failure is retried after a backoff, up to `INFRASTRUCTURE_RETRY_LIMIT` in a row, then abandoned
 * with that reason (never bisected: splitting does not help a missing image); a checkpointed stage's
 * failure caused by an L1 reorg (`l1ReorgFailureOf`) is retried under a new checkpoint, re-proving a
 * named range (`retryAfterL1Reorg`), never counted nor abandoned; a prover failure is
 * retried while the failures stay under the stage's `executor.attempts`, then bisected (stages with
 * `onExhausted: bisect`) or abandoned. Repeatable: a run that finds the group already moved gets a conflict.
 */
export async function afterFailure(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  failed: GroupIn<'failed'>,
): Promise<CompletionOutcome | Conflict> {
  if (failed.lastFailure.inputUnbuildable === true) {
    return (await abandonGroup(deps, stage, failed, 'its executor input cannot be built')) === undefined
      ? CONFLICT
      : 'abandoned';
  }
  if (failed.lastFailure.failureClass === 'configuration') {
    const why = `a configuration error no retry can fix (${failed.lastFailure.error}); fix the stage's executor command or the job image, then retry the group`;
    return (await abandonGroup(deps, stage, failed, why)) === undefined ? CONFLICT : 'abandoned';
  }
  if (failed.lastFailure.failureClass === 'infrastructure') {
    if (failed.infraFailures <= INFRASTRUCTURE_RETRY_LIMIT) {
      const notBefore = infrastructureRetryAt(deps.clock.now(), failed.infraFailures);
      return startedOutcome(await retryGroup(deps, stage, failed, notBefore));
    }
    const why = `${failed.infraFailures} infrastructure failures in a row (limit ${INFRASTRUCTURE_RETRY_LIMIT}); fix the cause and re-prove the range`;
    return (await abandonGroup(deps, stage, failed, why)) === undefined ? CONFLICT : 'abandoned';
  }
  const l1Reorg = stage.executor.l1Checkpoint ? l1ReorgFailureOf(failed.lastFailure) : undefined;
  if (l1Reorg !== undefined) {
    if ((failed.l1ReorgRetries ?? 0) < L1_REORG_RETRY_LIMIT)
      return startedOutcome(await retryAfterL1Reorg(deps, stage, failed, l1Reorg));
    const why = `${L1_REORG_RETRY_LIMIT} jobs in a row refused because an L1 input left L1 (limit ${L1_REORG_RETRY_LIMIT}): check that the prover's L1 RPC is on the canonical chain and not behind, then retry the group`;
    return (await abandonGroup(deps, stage, failed, why)) === undefined ? CONFLICT : 'abandoned';
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
