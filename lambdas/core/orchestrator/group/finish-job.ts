import type { ProvingStageConfig } from '../../config/schema.js';
import { InvalidInputError, PipelineError } from '../../errors.js';
import { l1ReorgFailureOf } from '../../executor/l1-reorg-failure.js';
import { METRIC } from '../../ports/telemetry.js';
import { publishResults } from '../messages/publish-results.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { provingStageNamed } from '../setup/pipeline-stages.js';
import type { ProgramResult } from '../setup/program-plugin.js';
import { afterFailure, startedOutcome } from './after-failure.js';
import { CONFLICT, type Conflict, GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupIn } from './group-state.js';
import { handOverChildren } from './hand-over-group.js';
import type { CompletionOutcome, JobCompletion } from './job-completion.js';
import { resultCoverageProblem } from './result-coverage.js';
import { continueRetriedGroup } from './retry-group.js';
import { StageBreaker } from './stage-breaker.js';

/**
 * Event "job finished": applies a finished job to its group. Success: validate the output with the
 * stage's program, publish one message per result, `running → succeeded`. Failure (or an invalid
 * output, whose error names the schema path): `running → failed`, then a retry while attempts
 * remain, else bisect (`split`, stages with `onExhausted: bisect`) or `abandoned`.
 *
 * Idempotent: a duplicate or stale event finds the group already moved and returns `ignored`;
 * a repeat after a crash between steps continues from the status it finds.
 */
export async function finishJob(
  deps: OrchestratorDeps,
  completion: JobCompletion,
): Promise<CompletionOutcome> {
  const stage = provingStageNamed(deps.config, completion.stage);
  const outcome = await new GroupRepository(deps.store).update(completion.groupId, (group) =>
    advance(deps, stage, group, completion),
  );
  if (outcome === undefined) {
    deps.logger.warn('job completion for an unknown group', { ...completion });
    return 'ignored';
  }
  return outcome;
}

async function advance(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: Group,
  completion: JobCompletion,
): Promise<CompletionOutcome | Conflict> {
  const sameAttempt = group.attempt === completion.attempt;
  if (group.status === 'running' && sameAttempt) {
    let failure = completion.status === 'FAILED' ? (completion.reason ?? 'job failed') : undefined;
    if (failure === undefined) {
      try {
        const results = await readResults(deps, stage, group);
        return (await succeed(deps, stage, group, results, completion)) ? 'succeeded' : CONFLICT;
      } catch (error) {
        if (!(error instanceof PipelineError)) throw error;
        failure = error.message;
      }
    }
    const infrastructure = completion.status === 'FAILED' && completion.failureClass === 'infrastructure';
    // A failure an L1 reorg caused is not the prover's: retried under a new checkpoint, uncounted.
    const l1Reorg =
      stage.executor.l1Checkpoint === true &&
      l1ReorgFailureOf({
        error: failure,
        ...(completion.stderrTail === undefined ? {} : { stderrTail: completion.stderrTail }),
      }) !== undefined;
    const failed = await new GroupRepository(deps.store).move(group, {
      ...commonOf(group),
      status: 'failed',
      job: group.job,
      // Only prover failures count toward the stage's attempts; infrastructure ones are counted apart.
      failures: infrastructure || l1Reorg ? group.failures : group.failures + 1,
      infraFailures: infrastructure ? group.infraFailures + 1 : 0,
      lastFailure: {
        error: failure,
        ...(completion.stderrTail === undefined ? {} : { stderrTail: completion.stderrTail }),
        ...(infrastructure ? { failureClass: 'infrastructure' as const } : {}),
      },
    });
    if (failed === undefined) return CONFLICT;
    const breaker = new StageBreaker(deps, stage);
    if (infrastructure) await breaker.recordInfrastructureFailure(failure);
    else await breaker.recordHealthy();
    deps.metrics.count(METRIC.jobFailed, 1, { stage: stage.name });
    if (infrastructure) deps.metrics.count(METRIC.infrastructureFailures, 1, { stage: stage.name });
    deps.logger.warn('job failed', {
      groupId: group.id,
      attempt: group.attempt,
      failureClass: infrastructure ? 'infrastructure' : 'prover',
      error: failure,
    });
    return afterFailure(deps, stage, failed);
  }
  if (group.status === 'failed' && sameAttempt) return afterFailure(deps, stage, group);
  if (group.status === 'retried' && group.attempt === completion.attempt + 1) {
    return startedOutcome(await continueRetriedGroup(deps, stage, group));
  }
  if (group.status === 'split' && sameAttempt) await handOverChildren(deps, stage, group.childGroupIds);
  return 'ignored';
}

/**
 * Reads and validates the job output; the results must cover the group exactly.
 * @throws PipelineError when it is missing or invalid.
 */
async function readResults(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
): Promise<ProgramResult[]> {
  const what = `${stage.executor.program} executor output`;
  const { outputKey } = group.job;
  const raw = await deps.blobs.getJson(outputKey);
  if (raw === undefined) throw new InvalidInputError(what, [`${outputKey}: missing`]);
  const results = deps.programs[stage.executor.program].parseOutput(raw);
  const problem = resultCoverageProblem(results, group.start, group.end);
  if (problem !== undefined) {
    throw new InvalidInputError(what, [
      `(root): the results must cover group ${group.id} (${group.start}-${group.end}] exactly; ${problem}`,
    ]);
  }
  return results;
}

async function succeed(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  results: readonly ProgramResult[],
  completion: JobCompletion,
): Promise<boolean> {
  await publishResults(deps, stage, results, group.attempt);
  const done = await new GroupRepository(deps.store).move(group, {
    ...commonOf(group),
    status: 'succeeded',
    job: group.job,
  });
  if (done === undefined) return false;
  await new StageBreaker(deps, stage).recordHealthy();
  const dimensions = { stage: stage.name };
  deps.metrics.count(METRIC.jobSucceeded, 1, dimensions);
  if (completion.durationSeconds !== undefined) {
    deps.metrics.gauge(METRIC.jobDurationSeconds, completion.durationSeconds, dimensions);
  }
  deps.metrics.gauge(deps.programs[stage.executor.program].headMetric, Number(group.end), dimensions);
  deps.logger.info('job succeeded', { groupId: group.id, results: results.length });
  return true;
}
