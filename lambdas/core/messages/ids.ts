import { InvalidKeyError } from '../errors.js';
import type { KeyKind } from './key-kind.js';

/**
 * Deterministic ids. Every effect in the pipeline is keyed by one of these and written with a
 * conditional write, so at-least-once delivery never duplicates work.
 *
 * @example
 * messageId('blocks', blockKey(123n))        // "blocks/123"
 * groupId('range', 100n, 130n)                // "range/100-130"
 * proposalId(400n)                            // "proposal/400"
 */
export function blockKey(number: bigint): string {
  return number.toString(10);
}

/** Key of a `[start, end)` range in OP Succinct's convention: proves blocks start+1 … end. */
export function rangeKey(start: bigint, end: bigint): string {
  return `${start}-${end}`;
}

export function messageId(topic: string, key: string): string {
  return `${topic}/${key}`;
}

export function groupId(stage: string, start: bigint, end: bigint): string {
  return `${stage}/${rangeKey(start, end)}`;
}

export function proposalId(l2BlockNumber: bigint): string {
  return `proposal/${l2BlockNumber}`;
}

export function checkpointId(l1BlockNumber: bigint): string {
  return `checkpoint/${l1BlockNumber}`;
}

/** The L1 block of a `checkpoint/<n>` id (also the tx intent of a checkpoint), else undefined. */
export function checkpointBlockOfId(id: string): bigint | undefined {
  const match = /^checkpoint\/(0|[1-9]\d*)$/.exec(id);
  return match === null ? undefined : BigInt(match[1]!);
}

export function breakerId(stage: string): string {
  return `breaker/${stage}`;
}

/** A stage's spend on one UTC day (`yyyy-mm-dd`), e.g. `budget/range/2026-12-01`. */
export function budgetId(stage: string, day: string): string {
  return `budget/${stage}/${day}`;
}

/** The last observed job durations of a stage's size bucket, e.g. `durations/range/32`. */
export function jobDurationsId(stage: string, bucket: number): string {
  return `durations/${stage}/${bucket}`;
}

export function cursorId(name: string): string {
  return `cursor/${name}`;
}

/**
 * The interval a message key covers, as (start, end]: a block key `n` covers (n-1, n]; a range key
 * `a-b` covers (a, b]. Contiguity is then always `next.start == prev.end`.
 * @throws InvalidKeyError naming the key when it is not of `kind`.
 */
export function keyInterval(key: string, kind: KeyKind): { start: bigint; end: bigint } {
  if (kind === 'block') {
    if (!/^(0|[1-9]\d*)$/.test(key))
      throw new InvalidKeyError(key, `block key "${key}" is not a decimal block number`);
    const n = BigInt(key);
    return { start: n - 1n, end: n };
  }
  const match = /^(0|[1-9]\d*)-(0|[1-9]\d*)$/.exec(key);
  if (match === null) throw new InvalidKeyError(key, `range key "${key}" is not of the form "<start>-<end>"`);
  const start = BigInt(match[1]!);
  const end = BigInt(match[2]!);
  if (end <= start) throw new InvalidKeyError(key, `range key "${key}" has end ≤ start`);
  return { start, end };
}

/** Zero-padded sort key so that lexicographic order (DynamoDB sort keys) is numeric order. */
export function sortKeyOf(n: bigint): string {
  return n.toString(10).padStart(20, '0');
}
