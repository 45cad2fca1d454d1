import type { StageConfig } from '../config/schema.js';
import { isJoinStage, isProvingStage } from '../config/stage-schema.js';
import { pauseId } from '../control/pause-switch.js';
import { breakerId, cursorId } from '../messages/ids.js';
import type { StoredItem } from '../ports/state-store.js';
import { collectorFor } from './collector/collector-for.js';
import { finishedGroupsOf } from './collector/finished-groups.js';
import { type PrefetchedMembers, prefetchedMembers } from './collector/prefetched-members.js';
import { groupKind, parseGroup } from './group/group-item.js';
import { GroupRepository } from './group/group-repository.js';
import type { Group, GroupIn } from './group/group-state.js';
import { type GroupHandover, handOverGroup } from './group/hand-over-group.js';
import { hedgeRunningGroups } from './group/hedge-running-groups.js';
import { reconcileRunningGroups } from './group/reconcile-running-groups.js';
import { recoverStalledGroups } from './group/recover-stalled-groups.js';
import { submitJob } from './group/submit-job.js';
import { joinHandover } from './join/join-group.js';
import { sweepJoinStage } from './join/sweep-join-stage.js';
import { type OrchestratorDeps, withRunPauses } from './setup/orchestrator-deps.js';
import { RunReads } from './setup/run-reads.js';
import { sweepDue, sweepFinished } from './sweep-schedule.js';

export interface CollectorsOutcome {
  /** Groups handed to an executor (or to the checkpoint wait, or abandoned as unbuildable) by this run. */
  readonly groups: readonly GroupHandover[];
  /** Match groups closed incomplete under `onTimeout: fail`. */
  readonly expired: readonly string[];
}

/**
 * `true`: run the recovery sweeps; `false`: do not (the dispatcher); `when-due`: run them when the
 * stage's sweep interval (`sweepIntervalSeconds`) has passed since its last finished sweep (the
 * scheduled run, whose collectors still run on every tick).
 */
export type SweepMode = boolean | 'when-due';

/**
 * Runs the collectors of `stages` (default: all) and hands the groups they formed to their
 * executors. With sweeps the collectors also settle messages that can never join a group, and it
 * hands over every `collected` group of those stages — including
 * groups a crashed run left collected or a paused stage or open breaker held back — recovers groups a crash left
 * between writes (`recoverStalledGroups`) and completes jobs whose completion event never arrived
 * (`reconcileRunningGroups`) and hedges stragglers (`hedgeRunningGroups`, stages with
 * `executor.hedge`), all from one list of the stage's `running` groups; a join stage's sweep
 * finishes halts a crash left `failed` and re-joins reopened groups (`sweepJoinStage`). The dispatcher
 * runs it without sweeps after recording a batch; the schedule (default: sweeps `when-due`)
 * flushes max-wait partial groups and Match timeouts on every tick and sweeps when due.
 *
 * Each stage and each group is isolated: a group whose input cannot be built is abandoned by the
 * hand-over, and any other error of one stage or group is logged while the others go on; the
 * first such error is thrown at the end, so the caller's retry runs everything again (a stage
 * whose sweep failed stays due).
 */
export async function runCollectors(
  sharedDeps: OrchestratorDeps,
  stages: readonly StageConfig[] = sharedDeps.config.stages,
  options: { readonly sweeps: SweepMode } = { sweeps: 'when-due' },
): Promise<CollectorsOutcome> {
  const groups: GroupHandover[] = [];
  const expired: string[] = [];
  const errors: unknown[] = [];
  const isolated = async (what: string, attributes: Record<string, unknown>, step: () => Promise<void>) => {
    try {
      await step();
      return true;
    } catch (error) {
      errors.push(error);
      sharedDeps.logger.error(`${what} failed; going on with the others`, {
        ...attributes,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  };
  const finishedGroups = finishedGroupsOf(sharedDeps);
  for (const stage of stages) {
    // One read of the stage's pause switch for the whole run, not one per group, batched with the
    // stage's cursor and breaker (`stageRunReads`). The sweep schedule stays keyed by the long-lived
    // deps (`sharedDeps`), which this per-run copy is not.
    const prefetched = prefetchedMembers(sharedDeps.config, stage, finishedGroups.positionOf(stage.name));
    const deps = withRunPauses({ ...sharedDeps, store: stageRunReads(sharedDeps, stage, prefetched) });
    const sweepStartedAt = deps.clock.now().getTime();
    const sweeps = options.sweeps === 'when-due' ? sweepDue(sharedDeps, stage) : options.sweeps;
    let formed: readonly Group[] = [];
    let heldMembers: ReadonlyMap<string, readonly StoredItem[]> = new Map();
    await isolated('collector', { stage: stage.name }, async () => {
      const outcome = await collectorFor(stage).collect(deps, {
        sweeps,
        finishedGroups,
        ...(prefetched === undefined ? {} : { prefetched }),
      });
      formed = outcome.formed;
      heldMembers = outcome.heldMembers ?? heldMembers;
      expired.push(...outcome.expired);
    });
    // Without sweeps, the groups this run formed (no read: the collector just wrote them); a
    // sweep lists every collected group, so it also takes those a crashed run left behind, and
    // the groups this run formed past `collected` (a claimed job to submit, a checkpoint wait).
    const collected: readonly (Group | StoredItem)[] = sweeps
      ? [
          ...(await deps.store.list(groupKind(stage.name), 'collected')),
          ...formed.filter((group) => group.status !== 'collected'),
        ]
      : formed;
    // Parsed one by one inside the isolation, so one corrupt item cannot stop the others.
    let handedOver = true;
    for (const entry of collected) {
      handedOver =
        (await isolated('group hand-over', { stage: stage.name, groupId: entry.id }, async () => {
          const group = 'kind' in entry ? parseGroup(entry) : entry;
          // Formed straight into the checkpoint wait (`CreatedIn`): only the proposer is to be woken.
          if (group.status === 'awaiting-checkpoint' && !('kind' in entry)) {
            deps.logger.info('group awaits an L1 checkpoint', { groupId: group.id });
            groups.push({ groupId: group.id, status: 'awaiting-checkpoint' });
            return;
          }
          // Formed with its first job claimed (`CreatedIn` `claimed`): the job is this run's to submit.
          if (group.status === 'running' && !('kind' in entry) && isProvingStage(stage)) {
            const submitted = await submitJob(deps, stage, group, {
              held: heldMembers.get(group.id),
              claimedJustNow: true,
            });
            groups.push({
              groupId: group.id,
              status: submitted?.status === 'abandoned' ? 'abandoned' : 'running',
            });
            return;
          }
          if (group.status !== 'collected') return;
          const handover = isJoinStage(stage)
            ? await joinHandover(deps, stage, group)
            : await handOverGroup(deps, stage, group);
          if (handover === undefined) return;
          groups.push(handover);
          if (handover.status !== 'paused') finishedGroups.handedOver(stage.name, group.id);
        })) && handedOver;
    }
    // A join stage has no jobs, so no running groups to recover or reconcile: its own sweep
    // finishes halts and re-joins reopened groups.
    // Its finished sweep is recorded like a proving stage's, so it is not swept again on every tick.
    if (sweeps && isJoinStage(stage)) {
      const swept = await isolated('join stage sweep', { stage: stage.name }, async () => {
        await sweepJoinStage(deps, stage);
      });
      if (handedOver && swept) sweepFinished(sharedDeps, stage.name, sweepStartedAt);
    }
    if (!sweeps || !isProvingStage(stage)) continue;
    let running: GroupIn<'running'>[] = [];
    const listed = await isolated('running group list', { stage: stage.name }, async () => {
      running = await new GroupRepository(deps.store).list(stage.name, 'running');
    });
    if (!listed) continue;
    const recovered = await isolated('stalled group recovery', { stage: stage.name }, async () => {
      await recoverStalledGroups(deps, stage, running);
    });
    const reconciled = await isolated('running group reconciliation', { stage: stage.name }, async () => {
      await reconcileRunningGroups(deps, stage, running);
    });
    // After the reconciliation: a job it completed is stale in `running` and finds nothing to hedge.
    const hedged = await isolated('straggler hedging', { stage: stage.name }, async () => {
      await hedgeRunningGroups(deps, stage, running);
    });
    if (handedOver && recovered && reconciled && hedged)
      sweepFinished(sharedDeps, stage.name, sweepStartedAt);
  }
  if (errors.length > 0) throw errors[0];
  return { groups, expired };
}

/**
 * The store as one stage's collector run reads it: the cursor (Sequential), the stage's pause switch
 * and its circuit breaker (read when a group starts), and the next groups' members when they can be
 * named ahead (`prefetchedMembers`), come in one batch read on the first of them. The breaker's
 * answer stands for every group the run starts (`RunReads` `forTheRun`), until the run writes it.
 */
function stageRunReads(
  deps: OrchestratorDeps,
  stage: StageConfig,
  prefetched: PrefetchedMembers | undefined,
): RunReads {
  const breaker = breakerId(stage.name);
  const ids = [pauseId({ kind: 'stage', stage: stage.name }), breaker];
  return new RunReads(
    deps.store,
    stage.collector.strategy === 'sequential'
      ? [cursorId(stage.name), ...ids, ...(prefetched?.ids ?? [])]
      : ids,
    [breaker],
  );
}
