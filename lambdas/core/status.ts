import { InvalidTransitionError } from './errors.js';

/**
 * Message status: a delivered message is `pending` until a collector puts it in a group
 * (`collected`), or a Match group times out without it completing (`expired`). A result whose group
 * was reopened to be proven again is `superseded` until the new attempt's result replaces it
 * (`superseded → pending`); a redelivery of the old one is then a duplicate.
 * An L2 rewind (a reorg of the blocks the watcher followed) moves every not-yet-proposed message
 * above the common ancestor (`pending`, `collected`, `superseded`) to `invalidated`; a later attempt
 * of its producer (the watcher's next rewind generation, a re-formed group) replaces it
 * (`invalidated → pending`), a redelivery of the old one is a duplicate. The members at or below the
 * ancestor of a group the rewind invalidated go back to be collected again (`collected → pending`).
 * A `proposed` proof whose proposal left the canonical L1 chain (a reorg) is pending again
 * (`proposed → pending`).
 * A `collected` member whose range is re-proven in place (its L1 head left L1) is `superseded`
 * while held by its group (`data.heldBy`); the re-proof replaces it straight back in `collected`
 * (`superseded → collected`). A `collected` copy meeting a later attempt of its producer (an
 * old-branch proof delivered after an L2 rewind finished, collected before the re-proof came) is
 * replaced in place, staying `collected`, and its group builds its input again.
 */
export type MessageStatus =
  | 'pending'
  | 'collected'
  | 'expired'
  | 'proposed'
  | 'skipped'
  | 'superseded'
  | 'invalidated';

/**
 * Group (unit of executor work) status.
 * collected → awaiting-checkpoint (aggregate stages) → running → succeeded | failed;
 * failed → retried → running; failed → split (a range bisected into two new groups);
 * failed → abandoned (attempts exhausted, no split possible: alarm); abandoned → retried only by a
 * person (`ops group retry`, a new attempt with its failures reset), never by the pipeline.
 * A group whose executor input cannot be built (a member or payload blob missing or invalid) goes
 * from where it is (collected, awaiting-checkpoint, retried, or running before its job was
 * submitted) → failed → abandoned, without a job.
 * An aggregate proof made against an L1 checkpoint that a reorg replaced is reopened:
 * succeeded → retried → awaiting-checkpoint (a new attempt under a new checkpoint); so is one whose
 * job failed because its checkpoint or a range's L1 head left L1 (failed → retried → awaiting-checkpoint,
 * no failure counted). A range whose L1 head left L1 is re-proven in place: succeeded → retried → running.
 * A group built on L2 blocks that an L2 rewind replaced goes from any state → invalidated; its late
 * job results are ignored. A collector that forms the same span again on the canonical blocks
 * re-forms it: invalidated → collected with attempt + 1 (a new job name and new artifacts).
 * A join stage's group runs no job: collected → succeeded (its result handed on) or
 * collected → failed → abandoned (the provers disagree, or under policy `first` no valid result
 * can still arrive: the span halts; a sweep finishes a halt a crash left `failed`). Under `first`
 * a group whose results so far are invalid stays collected, taking later results of the span.
 * A join group joins again after its members are re-proven in place (an L1 reorg's reopen:
 * succeeded → retried; an operator's retry of a halt: abandoned → retried), then
 * retried → collected once no member is superseded.
 */
export type GroupStatus =
  | 'collected'
  | 'awaiting-checkpoint'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'retried'
  | 'split'
  | 'abandoned'
  | 'invalidated';

export const MESSAGE_TRANSITIONS: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  pending: ['collected', 'expired', 'proposed', 'skipped', 'superseded', 'invalidated'],
  superseded: ['pending', 'collected', 'invalidated'],
  collected: ['invalidated', 'pending', 'superseded'],
  invalidated: ['pending'],
  expired: [],
  proposed: ['pending'],
  skipped: [],
};

export const GROUP_TRANSITIONS: Readonly<Record<GroupStatus, readonly GroupStatus[]>> = {
  collected: ['awaiting-checkpoint', 'running', 'succeeded', 'failed', 'invalidated'],
  'awaiting-checkpoint': ['running', 'failed', 'invalidated'],
  running: ['succeeded', 'failed', 'invalidated'],
  failed: ['retried', 'split', 'abandoned', 'invalidated'],
  retried: ['running', 'awaiting-checkpoint', 'failed', 'invalidated', 'collected'],
  succeeded: ['retried', 'invalidated'],
  split: ['invalidated'],
  abandoned: ['retried', 'invalidated'],
  invalidated: ['collected'],
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
