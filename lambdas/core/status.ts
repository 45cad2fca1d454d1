import { InvalidTransitionError } from './errors.js';

/**
 * Message status: a delivered message is `pending` until a collector puts it in a group
 * (`collected`), or a Match group times out without it completing (`expired`). A result whose group
 * was reopened to be proven again is `superseded` until the new attempt's result replaces it
 * (`superseded → pending`); a redelivery of the old one is then a duplicate. A `collected` member
 * whose range is re-proven in place (its L1 head left L1) is `superseded` while held by its group
 * (`data.heldBy`); the re-proof replaces it straight back in `collected` (`superseded → collected`).
 */
export type MessageStatus = 'pending' | 'collected' | 'expired' | 'proposed' | 'skipped' | 'superseded';

/**
 * Group (unit of executor work) status.
 * collected → awaiting-checkpoint (aggregate stages) → running → succeeded | failed;
 * failed → retried → running; failed → split (a range bisected into two new groups);
 * failed → abandoned (attempts exhausted, no split possible: alarm).
 * A group whose executor input cannot be built (a member or payload blob missing or invalid) goes
 * from where it is (collected, awaiting-checkpoint, retried, or running before its job was
 * submitted) → failed → abandoned, without a job.
 * An aggregate proof made against an L1 checkpoint that a reorg replaced is reopened:
 * succeeded → retried → awaiting-checkpoint (a new attempt under a new checkpoint); so is one whose
 * job failed because its checkpoint or a range's L1 head left L1 (failed → retried → awaiting-checkpoint,
 * no failure counted). A range whose L1 head left L1 is re-proven in place: succeeded → retried → running.
 */
export type GroupStatus =
  | 'collected'
  | 'awaiting-checkpoint'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'retried'
  | 'split'
  | 'abandoned';

export const MESSAGE_TRANSITIONS: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  pending: ['collected', 'expired', 'proposed', 'skipped', 'superseded'],
  superseded: ['pending', 'collected'],
  collected: ['superseded'],
  expired: [],
  proposed: [],
  skipped: [],
};

export const GROUP_TRANSITIONS: Readonly<Record<GroupStatus, readonly GroupStatus[]>> = {
  collected: ['awaiting-checkpoint', 'running', 'failed'],
  'awaiting-checkpoint': ['running', 'failed'],
  running: ['succeeded', 'failed'],
  failed: ['retried', 'split', 'abandoned'],
  retried: ['running', 'awaiting-checkpoint', 'failed'],
  succeeded: ['retried'],
  split: [],
  abandoned: [],
};

/** Every group status, in the transition table's order (for listing a stage's groups in all states). */
export const GROUP_STATUSES = Object.keys(GROUP_TRANSITIONS) as readonly GroupStatus[];

export function canTransition<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
): boolean {
  return table[from].includes(to);
}

/** @throws InvalidTransitionError naming the item, both states and the allowed targets. */
export function assertTransition<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  what: string,
  from: S,
  to: S,
): void {
  if (!canTransition(table, from, to)) {
    const allowed = table[from].length === 0 ? 'none (terminal)' : table[from].join(', ');
    throw new InvalidTransitionError(`${what}: cannot go from "${from}" to "${to}"; allowed: ${allowed}`);
  }
}
