import type { ProvingStageConfig } from '../../config/stage-schema.js';
import { METRIC } from '../../ports/telemetry.js';
import { jobGpuSeconds } from '../budget/record-job-spend.js';
import type { JobSide, SideFailure } from '../hedge/hedge-job.js';
import { failureOfHedgedAttempt, otherSide } from '../hedge/hedge-race.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { CONFLICT, type Conflict, GroupRepository } from './group-repository.js';
import type { GroupFailure, GroupIn, GroupJob } from './group-state.js';

/**
 * A failed job of a running attempt: the attempt's failure to apply (`fail`), or `wait` when the
 * attempt is hedged and its other job has not failed — this job's failure is kept on the hedge
 * record (a version-conditional write; a repeat of it is `wait` again), nothing counts and the
 * other job's result may still win.
 */
export async function failureOfAttempt(
  deps: OrchestratorDeps,
  group: GroupIn<'running'>,
  side: JobSide,
  failure: GroupFailure,
): Promise<{ readonly kind: 'fail'; readonly failure: GroupFailure } | { readonly kind: 'wait' } | Conflict> {
  const { hedge } = group.job;
  const sideFailure: SideFailure = {
    side,
    error: failure.error,
    ...(failure.stderrTail === undefined ? {} : { stderrTail: failure.stderrTail }),
    ...(failure.failureClass === undefined ? {} : { failureClass: failure.failureClass }),
  };
  const decision = failureOfHedgedAttempt(hedge, sideFailure);
  if (decision.kind === 'fail') return decision;
  if (decision.kind === 'duplicate' || hedge === undefined) return { kind: 'wait' };
  const kept = await new GroupRepository(deps.store).move(group, {
    ...group,
    job: { ...group.job, hedge: { ...hedge, sideFailure } },
  });
  if (kept === undefined) return CONFLICT;
  deps.logger.warn('one job of a hedged attempt failed; waiting for the other', {
    groupId: group.id,
    attempt: group.attempt,
    failedJob: side === 'hedge' ? hedge.name : group.job.name,
    error: failure.error,
  });
  return { kind: 'wait' };
}

/** The job of a succeeded attempt, with the race's winner when it was hedged. */
export function jobWonBy(job: GroupJob, side: JobSide): GroupJob {
  return job.hedge === undefined ? job : { ...job, hedge: { ...job.hedge, winner: side } };
}

/**
 * After a hedged attempt succeeded (the group already moved, so a late result or the FAILED event
 * of the loser finds nothing waiting): the other job is terminated with a reason naming the
 * winner, unless it failed already. `HedgesWon` counts a hedge's win; `HedgesWasted` the GPU-seconds
 * the loser ran until now (0 while it still waited to be placed).
 *
 * Crash window: between the group's move and the terminate, the loser runs on to its end; its
 * result is ignored and its GPU time is in the day's spend.
 */
export async function settleHedgeRace(
  deps: OrchestratorDeps,
  stage: ProvingStageConfig,
  group: GroupIn<'succeeded'>,
  winner: JobSide,
): Promise<void> {
  const hedge = group.job?.hedge;
  if (group.job === undefined || hedge === undefined) return;
  const dimensions = { stage: stage.name };
  if (winner === 'hedge') deps.metrics.count(METRIC.hedgesWon, 1, dimensions);
  const loser = otherSide(winner);
  if (hedge.sideFailure?.side === loser) return;
  const names = { main: group.job.name, hedge: hedge.name };
  const job = { stage: stage.name, name: names[loser] };
  const run = await deps.jobs.state(job);
  await deps.jobs.terminate(job, `hedge-race: ${names[winner]} won the race for ${group.id}`);
  if (run.state !== 'active') return;
  const startedAt = run.startedAt ?? (run.runnable === undefined ? submittedAt(group.job, loser) : undefined);
  const ranSeconds =
    startedAt === undefined ? 0 : Math.max(0, (deps.clock.now().getTime() - Date.parse(startedAt)) / 1000);
  deps.metrics.count(METRIC.hedgesWasted, jobGpuSeconds(stage, ranSeconds), dimensions);
  deps.logger.info('hedged attempt settled: the loser is terminated', {
    groupId: group.id,
    winner: names[winner],
    loser: names[loser],
    loserRanSeconds: Math.round(ranSeconds),
  });
}

function submittedAt(job: GroupJob, side: JobSide): string | undefined {
  return side === 'main' ? job.submission?.submittedAt : job.hedge?.submission?.submittedAt;
}
