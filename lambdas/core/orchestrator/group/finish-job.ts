import type { ProvingStageConfig } from '../../config/schema.js';
import { InvalidInputError, PipelineError } from '../../errors.js';
import { l1ReorgFailureOf } from '../../executor/l1-reorg-failure.js';
import { breakerId } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import { assertWithinCycleLimit } from '../budget/cycle-limit.js';
import { recordJobSpend } from '../budget/record-job-spend.js';
import type { JobSide } from '../hedge/hedge-job.js';
import { sideOf } from '../hedge/hedge-race.js';
import { recordJobDuration } from '../hedge/record-job-duration.js';
import { publishResults } from '../messages/publish-results.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { provingStageNamed } from '../setup/pipeline-stages.js';
import type { ProgramResult } from '../setup/program-plugin.js';
import { RunReads } from '../setup/run-reads.js';
import { afterFailure, startedOutcome } from './after-failure.js';
import { CONFLICT, type Conflict, GroupRepository } from './group-repository.js';
import { commonOf, type Group, type GroupFailure, type GroupIn } from './group-state.js';
import { handOverChildren } from './hand-over-group.js';
import { failureOfAttempt, jobWonBy, settleHedgeRace } from './hedged-attempt.js';
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
 * A hedged attempt (`executor.hedge`) has two jobs: the first valid result of either wins, the
 * other job is terminated (`settleHedgeRace`); one job's failure waits for the other, and only both
 * failing fails the attempt (`failureOfAttempt`).
 *
 * Every finished job's GPU time is added to its stage's day spend first (`recordJobSpend`, once
 * per job); results above the stage's `maxCyclesPerJob` are refused as a prover failure.
 *
 * Idempotent: a duplicate or stale event finds the group already moved and returns `ignored`;
 * a repeat after a crash between steps continues from the status it finds.
 */
export async function finishJob(
  sharedDeps: OrchestratorDeps,
  completion: JobCompletion,
): Promise<CompletionOutcome> {
  const stage = provingStageNamed(sharedDeps.config, completion.stage);
  // The group and the stage's breaker (read after the move) in one batch read.
  const store = new RunReads(sharedDeps.store, [completion.groupId, breakerId(stage.name)]);
  const deps = { ...sharedDeps, store };
  await recordJobSpend(deps, stage, completion);
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
    const side = sideOf(group.job.hedge, completion.jobName);
    let failure = completion.status === 'FAILED' ? (completion.reason ?? 'job failed') : undefined;
    if (failure === undefined) {
      try {
        const results = await readResults(deps, stage, group, side);
        return (await succeed(deps, stage, group, results, completion, side)) ? 'succeeded' : CONFLICT;
      } catch (error) {
        if (!(error instanceof PipelineError)) throw error;
        failure = error.message;
      }
    }
    const attemptFailure = await failureOfAttempt(deps, group, side, {
      error: failure,
      ...(completion.stderrTail === undefined ? {} : { stderrTail: completion.stderrTail }),
      ...(completion.status === 'FAILED' &&
      completion.failureClass !== undefined &&
      completion.failureClass !== 'prover'
        ? { failureClass: completion.failureClass }
        : {}),
    });
    if (attemptFailure === CONFLICT) return CONFLICT;
    if (attemptFailure.kind === 'wait') return 'ignored';
    return failAttempt(deps, stage, group, attemptFailure.failure);
  }
  if (group.status === 'failed' && sameAttempt) return afterFailure(deps, stage, group);
  if (group.status === 'retried' && group.attempt === completion.attempt + 1) {
    return startedOutcome(await continueRetriedGroup(deps, stage, group));
  }
  if (group.status === 'split' && sameAttempt) await handOverChildren(deps, stage, group.childGroupIds);
  return 'ignored';
}

/** `running → failed` with the attempt's failure, counted by its class, then the failure policy. */
async function failAttempt(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  attemptFailure: GroupFailure,
): Promise<CompletionOutcome | Conflict> {
  const { error: failure, stderrTail } = attemptFailure;
  const infrastructure = attemptFailure.failureClass === 'infrastructure';
  const configuration = attemptFailure.failureClass === 'configuration';
  // A failure an L1 reorg caused is not the prover's: retried under a new checkpoint, uncounted.
  const l1Reorg =
    stage.executor.l1Checkpoint === true &&
    l1ReorgFailureOf({ error: failure, ...(stderrTail === undefined ? {} : { stderrTail }) }) !== undefined;
  const failed = await new GroupRepository(deps.store).move(group, {
    ...commonOf(group),
    status: 'failed',
    job: group.job,
    // Only prover failures count toward the stage's attempts; infrastructure ones are counted apart.
    failures: infrastructure || configuration || l1Reorg ? group.failures : group.failures + 1,
    infraFailures: infrastructure ? group.infraFailures + 1 : 0,
    lastFailure: {
      error: failure,
      ...(stderrTail === undefined ? {} : { stderrTail }),
      ...(attemptFailure.failureClass === undefined ? {} : { failureClass: attemptFailure.failureClass }),
    },
  });
  if (failed === undefined) return CONFLICT;
  const breaker = new StageBreaker(deps, stage);
  // A configuration error says nothing of the infrastructure's or the prover's health.
  if (infrastructure) await breaker.recordInfrastructureFailure(failure);
  else if (!configuration) await breaker.recordHealthy();
  deps.metrics.count(METRIC.jobFailed, 1, { stage: stage.name });
  if (infrastructure) deps.metrics.count(METRIC.infrastructureFailures, 1, { stage: stage.name });
  deps.logger.warn('job failed', {
    groupId: group.id,
    attempt: group.attempt,
    failureClass: attemptFailure.failureClass ?? 'prover',
    error: failure,
  });
  return afterFailure(deps, stage, failed);
}

/**
 * Reads and validates the job output; the results must cover the group exactly.
 * @throws PipelineError when it is missing or invalid.
 */
async function readResults(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  side: JobSide,
): Promise<ProgramResult[]> {
  const what = `${stage.executor.program} executor output`;
  const outputKey =
    side === 'hedge' && group.job.hedge !== undefined ? group.job.hedge.outputKey : group.job.outputKey;
  const raw = await deps.blobs.getJson(outputKey);
  if (raw === undefined) throw new InvalidInputError(what, [`${outputKey}: missing`]);
  const results = deps.programs[stage.executor.program].parseOutput(raw);
  const problem = resultCoverageProblem(results, group.start, group.end);
  if (problem !== undefined) {
    throw new InvalidInputError(what, [
      `(root): the results must cover group ${group.id} (${group.start}-${group.end}] exactly; ${problem}`,
    ]);
  }
  assertWithinCycleLimit(stage, group.job.name, results);
  return results;
}

async function succeed(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  results: readonly ProgramResult[],
  completion: JobCompletion,
  side: JobSide,
): Promise<boolean> {
  await publishResults(deps, stage, results, group.attempt);
  const done = await new GroupRepository(deps.store).move(group, {
    ...commonOf(group),
    status: 'succeeded',
    job: jobWonBy(group.job, side),
  });
  if (done === undefined) return false;
  await settleHedgeRace(deps, stage, done, side);
  await recordJobDuration(deps, stage, group, completion);
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
