import type { StageConfig } from '../config/schema.js';
import { InvalidInputError, PipelineError } from '../errors.js';
import { type ExecutorResult, parseExecutorOutput } from '../executor/program-contracts.js';
import { jobOutputKey } from '../messages/blob-keys.js';
import type { StoredItem } from '../ports/state-store.js';
import { METRIC } from '../ports/telemetry.js';
import { bisectGroup } from './bisect-group.js';
import { continueRetriedGroup } from './continue-retried-group.js';
import { groupData, MAX_GROUP_ERROR_CHARS, moveGroup } from './group-records.js';
import { handOverGroup } from './hand-over-group.js';
import type { CompletionOutcome, JobCompletion } from './job-completion.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { stageNamed } from './pipeline-stages.js';
import { publishResults } from './publish-results.js';
import { startGroupJob } from './start-group-job.js';

/**
 * Applies a finished job to its group. Success: validate the output, publish one message per
 * result, `running → succeeded`. Failure (or an invalid output, whose error names the schema
 * path): `running → failed`, then `retried → running` with a new attempt while attempts remain,
 * else bisect (`split`, stages with `onExhausted: bisect`) or `abandoned`.
 *
 * Idempotent: a duplicate or stale event finds the group already moved and returns `ignored`;
 * a repeat after a crash between steps continues from the status it finds.
 */
export async function completeJob(
  deps: OrchestratorDeps,
  completion: JobCompletion,
): Promise<CompletionOutcome> {
  const stage = stageNamed(deps.config, completion.stage);
  for (;;) {
    const item = await deps.store.get(completion.groupId);
    if (item === undefined) {
      deps.logger.warn('job completion for an unknown group', { ...completion });
      return 'ignored';
    }
    const outcome = await advance(deps, stage, item, completion);
    if (outcome !== 'conflict') return outcome;
  }
}

async function advance(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
  completion: JobCompletion,
): Promise<CompletionOutcome | 'conflict'> {
  const data = groupData(item);
  const sameAttempt = data.attempt === completion.attempt;
  if (item.status === 'running' && sameAttempt) {
    let failure = completion.status === 'FAILED' ? (completion.reason ?? 'job failed') : undefined;
    if (failure === undefined) {
      try {
        const results = await readOutput(deps, stage, data.start, data.end, data.attempt);
        return (await succeed(deps, stage, item, results, completion)) ? 'succeeded' : 'conflict';
      } catch (error) {
        if (!(error instanceof PipelineError)) throw error;
        failure = error.message;
      }
    }
    const failed = await moveGroup(deps.store, item, 'failed', {
      error: failure.slice(0, MAX_GROUP_ERROR_CHARS),
      ...(completion.stderrTail === undefined ? {} : { stderrTail: completion.stderrTail }),
    });
    if (failed === undefined) return 'conflict';
    deps.metrics.count(METRIC.jobFailed, 1, { stage: stage.name });
    deps.logger.warn('job failed', { groupId: item.id, attempt: data.attempt, error: failure });
    return afterFailure(deps, stage, failed);
  }
  if (item.status === 'failed' && sameAttempt) return afterFailure(deps, stage, item);
  if (item.status === 'retried' && data.attempt === completion.attempt + 1) {
    return startedOutcome(await continueRetriedGroup(deps, stage, item));
  }
  if (item.status === 'split' && sameAttempt) {
    await handOverChildren(deps, stage, data.childGroupIds ?? []);
    return 'ignored';
  }
  return 'ignored';
}

/** Reads and validates the job output. @throws PipelineError when it is missing or invalid. */
async function readOutput(
  deps: OrchestratorDeps,
  stage: StageConfig,
  start: string,
  end: string,
  attempt: number,
): Promise<ExecutorResult[]> {
  const key = jobOutputKey(stage.name, BigInt(start), BigInt(end), attempt);
  const raw = await deps.blobs.getJson(key);
  if (raw === undefined)
    throw new InvalidInputError(`${stage.executor.program} executor output`, [`${key}: missing`]);
  const results = parseExecutorOutput(stage.executor.program, raw);
  const outside = results.find((r) => BigInt(r.start) < BigInt(start) || BigInt(r.end) > BigInt(end));
  if (outside !== undefined) {
    throw new InvalidInputError(`${stage.executor.program} executor output`, [
      `(root): result ${outside.start}-${outside.end} lies outside the group ${start}-${end}`,
    ]);
  }
  return results;
}

async function succeed(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
  results: readonly ExecutorResult[],
  completion: JobCompletion,
): Promise<boolean> {
  await publishResults(deps, stage, results);
  const done = await moveGroup(deps.store, item, 'succeeded');
  if (done === undefined) return false;
  const dimensions = { stage: stage.name };
  deps.metrics.count(METRIC.jobSucceeded, 1, dimensions);
  if (completion.durationSeconds !== undefined) {
    deps.metrics.gauge(METRIC.jobDurationSeconds, completion.durationSeconds, dimensions);
  }
  const head = Number(groupData(item).end);
  deps.metrics.gauge(
    stage.executor.program === 'range' ? METRIC.provenHead : METRIC.aggregatedHead,
    head,
    dimensions,
  );
  deps.logger.info('job succeeded', { groupId: item.id, results: results.length });
  return true;
}

async function afterFailure(
  deps: OrchestratorDeps,
  stage: StageConfig,
  failed: StoredItem,
): Promise<CompletionOutcome | 'conflict'> {
  const data = groupData(failed);
  if (data.attempt < stage.executor.attempts) {
    const retried = await moveGroup(deps.store, failed, 'retried', { attempt: data.attempt + 1 });
    if (retried === undefined) return 'conflict';
    return startedOutcome(await startGroupJob(deps, stage, retried));
  }
  if (stage.executor.onExhausted === 'bisect') {
    const split = await bisectGroup(deps, stage, failed);
    if (split === undefined) return 'conflict';
    if (split !== 'unsplittable') {
      await handOverChildren(deps, stage, groupData(split).childGroupIds ?? []);
      return 'split';
    }
  }
  const abandoned = await moveGroup(deps.store, failed, 'abandoned');
  if (abandoned === undefined) return 'conflict';
  deps.metrics.count(METRIC.groupAbandoned, 1, { stage: stage.name });
  deps.logger.error('group abandoned: attempts exhausted', { groupId: failed.id, error: data.error });
  return 'abandoned';
}

/** What starting a retried attempt came to: `conflict` when another writer moved the group first. */
function startedOutcome(started: StoredItem | undefined): CompletionOutcome | 'conflict' {
  if (started === undefined) return 'conflict';
  return started.status === 'abandoned' ? 'abandoned' : 'retried';
}

async function handOverChildren(
  deps: OrchestratorDeps,
  stage: StageConfig,
  childIds: readonly string[],
): Promise<void> {
  for (const id of childIds) {
    const child = await deps.store.get(id);
    if (child !== undefined) await handOverGroup(deps, stage, child);
  }
}
