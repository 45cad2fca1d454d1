/**
 * What an aggregate job's failure says about L1 inputs that an L1 reorg removed. `checkpoint`: the
 * checkpointed L1 block no longer hashes to the checkpoint (the program's `checkpoint-hash` check);
 * `range-l1-head`: range `(start, end]` was proven against an L1 head that is not in the L1 header
 * chain ending at the checkpoint (`foreign-l1-head`). Neither is the prover's fault: the group is
 * retried under a new checkpoint, and a named range is re-proven.
 */
export type L1ReorgFailure =
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'range-l1-head'; readonly start: bigint; readonly end: bigint };

/**
 * The aggregate program's rejections, as `GuestRejectedError` words them
 * (`aggregate program rejected its input [<check>]: <message>`), in the job's error or stderr tail.
 */
const CHECKPOINT_HASH = /aggregate program rejected its input \[checkpoint-hash\]/;
const FOREIGN_L1_HEAD = /aggregate program rejected its input \[foreign-l1-head\]: range (\d+)-(\d+) /;

/**
 * The L1 reorg a failed aggregate attempt ran into, read from its error and stderr tail; undefined
 * for any other failure.
 *
 * @example
 * l1ReorgFailureOf({ error: 'aggregate program rejected its input [foreign-l1-head]: range 5-10 l1Head 0x… is not…' })
 * // → { kind: 'range-l1-head', start: 5n, end: 10n }
 */
export function l1ReorgFailureOf(failure: {
  readonly error: string;
  readonly stderrTail?: string;
}): L1ReorgFailure | undefined {
  const text = `${failure.error}\n${failure.stderrTail ?? ''}`;
  const foreign = FOREIGN_L1_HEAD.exec(text);
  if (foreign !== null)
    return { kind: 'range-l1-head', start: BigInt(foreign[1]!), end: BigInt(foreign[2]!) };
  return CHECKPOINT_HASH.test(text) ? { kind: 'checkpoint' } : undefined;
}
