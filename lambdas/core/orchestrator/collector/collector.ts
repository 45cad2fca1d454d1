import type { StageConfig } from '../../config/schema.js';
import type { StoredItem } from '../../ports/state-store.js';
import type { Group } from '../group/group-state.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { FinishedGroups } from './finished-groups.js';
import type { PrefetchedMembers } from './prefetched-members.js';

/** What one collector run did. Groups are recorded before they are returned. */
export interface CollectOutcome {
  /**
   * Group items this run formed or finished (status `collected` when created, `awaiting-checkpoint` for a checkpointed stage's), and a `collected`
   * group a crashed run formed but never handed over, when the run comes across it: the caller
   * hands these over.
   */
  readonly formed: readonly Group[];
  /**
   * The member items, as this run wrote them, of formed groups whose every member this run marked
   * from its own read (by group id): their job input is built without reading them again.
   */
  readonly heldMembers?: ReadonlyMap<string, readonly StoredItem[]>;
  /** Ids of Match groups that timed out incomplete under `onTimeout: fail` (members `expired`). */
  readonly expired: readonly string[];
}

/** How a collector run is made. */
export interface CollectOptions {
  /**
   * Also tidy up messages that can never join a group (Sequential: pending messages behind the
   * cursor are settled `skipped`). The scheduled sweep sets it; the dispatcher does not.
   * @default false
   */
  readonly sweeps?: boolean;
  /**
   * The process's memory of finished groups (`finishedGroupsOf` the long-lived deps): a Sequential
   * run skips the group read of a cursor decision it knows is finished, and records what it forms.
   * @default none (every run reads its cursor's last decided group)
   */
  readonly finishedGroups?: FinishedGroups;
  /**
   * Member ids the run's store reads in its first batch (Sequential, block keys): the first plan
   * from that position takes them from there instead of listing a page.
   * @default none
   */
  readonly prefetched?: PrefetchedMembers;
}

/**
 * A grouping strategy for one stage. `collect` is safe to run concurrently and repeatedly: every
 * effect is a single-item conditional write, and a run finishes work a crashed run left half-done.
 */
export interface Collector {
  readonly stage: StageConfig;
  collect(deps: OrchestratorDeps, options?: CollectOptions): Promise<CollectOutcome>;
}
