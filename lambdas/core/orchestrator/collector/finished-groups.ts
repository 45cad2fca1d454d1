import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** The group a stage's cursor decided at one cursor version, as this process last saw it. */
interface Seen {
  readonly cursorVersion: number;
  readonly groupId: string;
  /** Known to be past `collected` (handed over), so finishing it again has nothing to do. */
  readonly finished: boolean;
}

/**
 * What one process (one set of long-lived deps: a Lambda container, the local run) knows about
 * each Sequential stage's last decided group, so a collector run does not read a group item it
 * already knows is finished. Every run starts by finishing its cursor's `lastGroup`; when the
 * cursor is still at the version under which this process saw that group created and handed over,
 * nothing can have changed it in a way the finish would act on: a group goes back to `collected`
 * only from `invalidated`, and an L2 rewind that invalidates the cursor's `lastGroup` also moves
 * the cursor back (a new version), so the remembered entry no longer matches. A group left
 * `collected` (its stage paused, its breaker open, a failed hand-over) is never remembered as
 * finished and is read and handed over again. In memory only: a fresh process reads once.
 */
export class FinishedGroups {
  private readonly byStage = new Map<string, Seen>();
  private readonly positions = new Map<string, bigint>();

  /** The stage's cursor was last seen at `position` (read or written by this process). */
  sawPosition(stage: string, position: bigint): void {
    this.positions.set(stage, position);
  }

  /** Where this process last saw the stage's cursor; a guess (`PrefetchedMembers`), never a decision. */
  positionOf(stage: string): bigint | undefined {
    return this.positions.get(stage);
  }

  /** The group the cursor at `cursorVersion` decided exists, in `collected`, and is being handed over by this run. */
  formed(stage: string, cursorVersion: number, groupId: string): void {
    this.byStage.set(stage, { cursorVersion, groupId, finished: false });
  }

  /** The group the cursor at `cursorVersion` decided exists and is past `collected`. */
  finished(stage: string, cursorVersion: number, groupId: string): void {
    this.byStage.set(stage, { cursorVersion, groupId, finished: true });
  }

  /** The hand-over of `groupId` moved it on (not `paused`): a formed entry for it becomes finished. */
  handedOver(stage: string, groupId: string): void {
    const seen = this.byStage.get(stage);
    if (seen?.groupId === groupId) this.byStage.set(stage, { ...seen, finished: true });
  }

  /** Whether the cursor at `cursorVersion` with `groupId` decided is known finished. */
  isFinished(stage: string, cursorVersion: number, groupId: string): boolean {
    const seen = this.byStage.get(stage);
    return seen?.finished === true && seen.cursorVersion === cursorVersion && seen.groupId === groupId;
  }
}

const perDeps = new WeakMap<OrchestratorDeps, FinishedGroups>();

/** The finished-group memory of one set of long-lived deps (created on first use). */
export function finishedGroupsOf(deps: OrchestratorDeps): FinishedGroups {
  let known = perDeps.get(deps);
  if (known === undefined) {
    known = new FinishedGroups();
    perDeps.set(deps, known);
  }
  return known;
}
