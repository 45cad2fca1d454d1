import type { RecordedFailureClass } from '../../executor/failure-class.js';
import type { GroupStatus } from '../../status.js';
import type { HedgeJob } from '../hedge/hedge-job.js';
import type { CheckpointGrant } from '../setup/program-plugin.js';

/** Who a group is: its id, stage and the blocks it covers, `(start, end]`. */
export interface GroupIdentity {
  readonly id: string;
  readonly stage: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** The job of a group's current attempt, from its claim on (names from `jobArtifacts`). */
export interface GroupJob {
  readonly name: string;
  readonly inputKey: string;
  readonly outputKey: string;
  /** When a dispatcher claimed the attempt (moved the group to `running`), ISO time. */
  readonly claimedAt: string;
  /** Set once the submit is recorded; a claim without it was interrupted before or during submit. */
  readonly submission?: { readonly jobId: string; readonly submittedAt: string };
  /** The named wait of a job still waiting to be placed past its look-up time (no capacity, quota 0…). */
  readonly waitReason?: string;
  /** A second job of the same attempt started for a straggler (`executor.hedge`); the first valid result wins. */
  readonly hedge?: HedgeJob;
}

/** Why the last attempt failed, kept for the operator after the group moves on. */
export interface GroupFailure {
  readonly error: string;
  readonly stderrTail?: string;
  /** The executor input could not be built: the group is abandoned, not retried. */
  readonly inputUnbuildable?: true;
  /**
   * Set when the attempt never got a fair run (`infrastructure`) or could not work as configured
   * (`configuration`); absent for a prover failure.
   */
  readonly failureClass?: RecordedFailureClass;
}

/** The stored item's version and time, for the next conditional write. */
export interface GroupRevision {
  readonly version: number;
  readonly updatedAt: string;
}

/** Fields every state carries. */
export interface GroupCommon extends GroupIdentity {
  readonly memberIds: readonly string[];
  /** 1-based attempt: the job sequence number (a new job name and new blobs for each). */
  readonly attempt: number;
  /**
   * Failed attempts that count toward the stage's `executor.attempts` before bisect or abandon. A
   * reopen after an L1 reorg starts a new attempt without counting a failure.
   */
  readonly failures: number;
  /** Infrastructure failures in a row (image pull, staging, RPC outage…): retried apart, never bisected. */
  readonly infraFailures: number;
  /**
   * Jobs refused because an L1 input left L1 (`retryAfterL1Reorg`), never counted as failures; past
   * `L1_REORG_RETRY_LIMIT` the group is abandoned instead (an L1 node that is behind, not a reorg).
   */
  readonly l1ReorgRetries?: number;
  /** Match groups: the value the members share. */
  readonly matchValue?: string;
  /** Bisection children: the group they were split from. */
  readonly parentGroupId?: string;
  /** Recorded by the proposer (`giveCheckpoint`); retries reuse it, a reopen clears it. */
  readonly grant?: CheckpointGrant;
  readonly lastFailure?: GroupFailure;
  /** Why a succeeded group was reopened for a new attempt (an L1 reorg replaced its checkpoint). */
  readonly reopenReason?: string;
  /** Absent on a group not yet stored. */
  readonly revision?: GroupRevision;
}

/**
 * A group in one of its states, parsed once at the store boundary (`parseGroup`). The state says
 * what exists: a `running` group always has its job; an `awaiting-checkpoint` group has none; a
 * `failed` group has its failure. Moves are checked against `GROUP_TRANSITIONS`.
 */
export type Group =
  | (GroupCommon & { readonly status: 'collected' })
  | (GroupCommon & {
      readonly status: 'awaiting-checkpoint';
      /** Why the proposer holds the checkpoint back (members re-proven after an L1 reorg), for the operator. */
      readonly waitReason?: string;
    })
  | (GroupCommon & { readonly status: 'running'; readonly job: GroupJob })
  | (GroupCommon & {
      readonly status: 'succeeded';
      /** Absent only on a join stage's group, which runs no job (`orchestrator/join/`). */
      readonly job?: GroupJob;
    })
  | (GroupCommon & { readonly status: 'failed'; readonly lastFailure: GroupFailure; readonly job?: GroupJob })
  | (GroupCommon & {
      readonly status: 'retried';
      /** An infrastructure retry waits for its backoff: the sweep starts it from this ISO time on. */
      readonly notBefore?: string;
    })
  | (GroupCommon & { readonly status: 'split'; readonly childGroupIds: readonly string[] })
  | (GroupCommon & {
      readonly status: 'abandoned';
      readonly job?: GroupJob;
      readonly expiredReason?: string;
    })
  | (GroupCommon & {
      readonly status: 'invalidated';
      /** The L2 rewind that invalidated it (`rewindTag`): a crashed rewind finishes only its own groups. */
      readonly invalidatedBy: string;
    });

/** The group type of one status. */
export type GroupIn<S extends GroupStatus> = Extract<Group, { readonly status: S }>;

/** What `move` needs: the next state without its revision (the repository writes it). */
export type GroupMove = Group extends infer G ? (G extends Group ? Omit<G, 'revision'> : never) : never;

/** The fields every state shares (`GroupCommon` without the revision), in one list. */
const COMMON_FIELDS = [
  'id',
  'stage',
  'start',
  'end',
  'memberIds',
  'attempt',
  'failures',
  'infraFailures',
  'l1ReorgRetries',
  'matchValue',
  'parentGroupId',
  'grant',
  'lastFailure',
  'reopenReason',
] as const satisfies readonly Exclude<keyof GroupCommon, 'revision'>[];

/** The fields of `group` every state shares, to build the next state from (absent ones left out). */
export function commonOf(group: Group): GroupCommon {
  const common: Partial<Record<(typeof COMMON_FIELDS)[number], unknown>> = {};
  for (const field of COMMON_FIELDS) if (group[field] !== undefined) common[field] = group[field];
  return common as GroupCommon;
}
