import type { HedgeConfig } from '../../config/hedge-schema.js';
import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { StagePauses } from '../../control/stage-pauses.js';
import { METRIC } from '../../ports/telemetry.js';
import { jobGpuSeconds } from '../budget/record-job-spend.js';
import { type DaySpend, StageSpend, utcDay } from '../budget/stage-spend.js';
import { sizeBucket } from '../hedge/duration-percentile.js';
import { hedgeCapReason } from '../hedge/hedge-spend-cap.js';
import { hedgeReason, mayNeedHedge } from '../hedge/hedge-trigger.js';
import { JobDurations } from '../hedge/job-durations.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { finishJob } from './finish-job.js';
import { CONFLICT, GroupRepository } from './group-repository.js';
import type { GroupIn } from './group-state.js';
import { hedgeArtifacts } from './job-artifacts.js';
import { COMPLETION_GRACE_SECONDS } from './reconcile-running-groups.js';
import { CLAIM_GRACE_SECONDS } from './recover-stalled-groups.js';

/**
 * The hedging sweep of one stage with `executor.hedge`, over its `running` groups (listed once by
 * the scheduled sweep):
 * - a job that has run `afterP90Multiple` × the p90 of its size bucket (or waited `RUNNABLE`
 *   `runnableSeconds`) gets a hedge — the same attempt, its own name and output key, on the
 *   on-demand queue — when the stage has `minSamples` durations, is not paused, and the day's hedge
 *   spend stays within `maxShare` (`hedgeCapReason`). The hedge is claimed on the group with a
 *   version-conditional write first, so of two sweeps only one submits it;
 * - a hedge claimed but never submitted (a crash) is submitted again after `CLAIM_GRACE_SECONDS`;
 * - a hedge whose completion event never arrived is completed from the runner's state, as
 *   `reconcileRunningGroups` does for the attempt's own job.
 * Returns the ids of the groups it started a hedge for.
 */
export async function hedgeRunningGroups(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  running: readonly GroupIn<'running'>[],
): Promise<string[]> {
  const config = stage.executor.hedge;
  if (config === undefined) return [];
  const now = deps.clock.now().getTime();
  const started: string[] = [];
  const durations = new Map<number, Promise<{ p90: number | undefined; samples: number }>>();
  const durationsOf = (bucket: number) => {
    let read = durations.get(bucket);
    if (read === undefined) {
      read = new JobDurations(deps.store, stage.name, bucket).p90();
      durations.set(bucket, read);
    }
    return read;
  };
  let today: Promise<DaySpend> | undefined;
  let inFlight = running.filter((group) => group.job.hedge !== undefined).length;
  for (const group of running) {
    const { job } = group;
    if (job.hedge !== undefined) {
      await keepHedgeGoing(deps, stage, group, now);
      continue;
    }
    if (job.submission === undefined) continue;
    const bucket = sizeBucket(group.end - group.start);
    const observed = await durationsOf(bucket);
    if (observed.p90 === undefined || observed.samples < config.minSamples) continue;
    if (!mayNeedHedge(config, observed.p90, (now - Date.parse(job.submission.submittedAt)) / 1000)) continue;
    const reason = await stragglerReason(
      deps,
      stage,
      group,
      config,
      { p90: observed.p90, samples: observed.samples, bucket },
      now,
    );
    if (reason === undefined) continue;
    if ((await (deps.stagePauses ?? new StagePauses(deps)).of(stage.name)) !== undefined) return started;
    today ??= new StageSpend(deps.store, stage.name, utcDay(new Date(now))).read();
    const capped = hedgeCapReason(stage, await today, jobGpuSeconds(stage, observed.p90), inFlight);
    if (capped !== undefined) {
      deps.logger.info('straggler not hedged: the hedge spend cap holds it back', {
        groupId: group.id,
        jobName: job.name,
        trigger: reason,
        reason: capped,
      });
      continue;
    }
    const claimed = await new GroupRepository(deps.store).move(group, {
      ...group,
      job: {
        ...job,
        hedge: { ...hedgeArtifacts(group, group.attempt), claimedAt: new Date(now).toISOString(), reason },
      },
    });
    // Another sweep claimed it (or the job finished) first: that writer decides.
    if (claimed === undefined) continue;
    inFlight += 1;
    started.push(group.id);
    await submitHedge(deps, stage, claimed);
  }
  return started;
}

/** Why the group's running job is a straggler now, from its runner's state (undefined: it is not, or it ended). */
async function stragglerReason(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  config: HedgeConfig,
  observed: { readonly p90: number; readonly samples: number; readonly bucket: number },
  now: number,
): Promise<string | undefined> {
  const run = await deps.jobs.state({ stage: stage.name, name: group.job.name });
  if (run.state !== 'active') return undefined;
  const secondsSince = (iso: string) => (now - Date.parse(iso)) / 1000;
  const submittedAt = group.job.submission?.submittedAt ?? group.job.claimedAt;
  return hedgeReason(config, {
    ...observed,
    ...(run.runnable === undefined
      ? { runningSeconds: secondsSince(run.startedAt ?? submittedAt) }
      : { runnableSeconds: secondsSince(run.runnable.since) }),
  });
}

/**
 * Submits a claimed hedge (again, after a crash: the runner starts no second run for a known name)
 * and records its submission; `HedgesStarted` counts it once, with the write that records it.
 */
async function submitHedge(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  claimed: GroupIn<'running'>,
): Promise<void> {
  const hedge = claimed.job.hedge;
  if (hedge === undefined) return;
  const { jobId } = await deps.jobs.submit({
    name: hedge.name,
    stage: stage.name,
    groupId: claimed.id,
    attempt: claimed.attempt,
    inputKey: claimed.job.inputKey,
    outputKey: hedge.outputKey,
    executor: stage.executor,
    queue: 'on-demand',
  });
  const submission = { jobId, submittedAt: deps.clock.now().toISOString() };
  const groups = new GroupRepository(deps.store);
  await groups.update(claimed.id, async (group) => {
    const current = group.status === 'running' ? group.job.hedge : undefined;
    if (group.status !== 'running' || group.attempt !== claimed.attempt || current === undefined) return;
    if (current.name !== hedge.name || current.submission !== undefined) return;
    const recorded = await groups.move(group, {
      ...group,
      job: { ...group.job, hedge: { ...current, submission } },
    });
    if (recorded === undefined) return CONFLICT;
    deps.metrics.count(METRIC.hedgesStarted, 1, { stage: stage.name });
    deps.logger.info('hedge submitted for a straggler', {
      groupId: claimed.id,
      jobName: claimed.job.name,
      hedgeJobName: hedge.name,
      jobId,
      reason: hedge.reason,
    });
  });
}

/**
 * A hedged group's hedge: submitted again when its claim was left without a submission past
 * `CLAIM_GRACE_SECONDS`; completed from the runner's state when it ended long ago and its event
 * never arrived (past the executor timeout plus `COMPLETION_GRACE_SECONDS`).
 */
async function keepHedgeGoing(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'running'>,
  now: number,
): Promise<void> {
  const hedge = group.job.hedge;
  if (hedge === undefined || hedge.sideFailure?.side === 'hedge') return;
  if (hedge.submission === undefined) {
    if (now - Date.parse(hedge.claimedAt) >= CLAIM_GRACE_SECONDS * 1000)
      await submitHedge(deps, stage, group);
    return;
  }
  const overdueMs = (stage.executor.timeoutSeconds + COMPLETION_GRACE_SECONDS) * 1000;
  if (now - Date.parse(hedge.submission.submittedAt) < overdueMs) return;
  const run = await deps.jobs.state({ stage: stage.name, name: hedge.name });
  if (run.state === 'active') return;
  deps.logger.warn('completing a hedge whose state change event never arrived', {
    groupId: group.id,
    jobName: hedge.name,
    state: run.state,
  });
  await finishJob(deps, {
    stage: stage.name,
    groupId: group.id,
    attempt: group.attempt,
    jobName: hedge.name,
    status: run.state === 'succeeded' ? 'SUCCEEDED' : 'FAILED',
    ...(run.state === 'failed' ? { failureClass: run.failureClass ?? 'prover' } : {}),
    ...(run.state === 'unknown' ? { failureClass: 'infrastructure' as const } : {}),
    ...(run.state === 'succeeded'
      ? {}
      : {
          reason: `${run.state === 'failed' ? (run.reason ?? 'the job failed') : 'the job runner does not know the job'} (reconciled: no job state change event)`,
        }),
  });
}
