import { PipelineError } from '../../errors.js';

/** A range-cut argument that is not what the rule needs (a caller's bug, not an input to skip). */
export class RangeCutArgumentError extends PipelineError {
  override readonly name: string = 'RangeCutArgumentError';
}

/** One range cut from the head of a block sequence. */
export interface RangeCut {
  /** Blocks in the range. */
  readonly blocks: number;
  /** Their gas, summed. */
  readonly gasUsed: bigint;
}

/** The ranges a block sequence decides, and how many blocks at its end wait for more blocks. */
export interface RangeCuts {
  readonly ranges: readonly RangeCut[];
  /** Trailing blocks no range holds yet: the rule needs the blocks after them to decide. */
  readonly undecided: number;
}

/**
 * How many of the leading blocks form the first range, or undefined while the sequence does not
 * decide it yet. The range closes at `groupSize` blocks, or before the block whose gas would take
 * the range's sum past `maxGasPerRange` (as op-succinct's `RANGE_PROOF_EVM_GAS_LIMIT`), whichever
 * comes first; a block above the limit on its own forms a range alone. The answer depends only on
 * the gas values, in order: never on when they arrived. A range closed by gas is decided only once
 * the block after it is known (a next block with no gas would still fit).
 *
 * @param gasUsed each block's gas, in block order, starting at the range's first block.
 * @param groupSize the most blocks in a range: an integer ≥ 1, or `Infinity` for gas alone.
 * @param maxGasPerRange the most gas in a range of two or more blocks; undefined cuts by count alone.
 * @example
 * firstRangeLength([5n, 5n, 5n], 10, 10n)  // 2: the third block would make 15 > 10
 * firstRangeLength([5n, 5n], 10, 10n)      // undefined: a third block of gas 0 would still fit
 * firstRangeLength([50n], 10, 10n)         // 1: a block above the limit stands alone
 */
export function firstRangeLength(
  gasUsed: readonly bigint[],
  groupSize: number,
  maxGasPerRange?: bigint,
): number | undefined {
  checkRule(groupSize, maxGasPerRange);
  let sum = 0n;
  for (let i = 0; i < gasUsed.length; i++) {
    const gas = gasUsed[i]!;
    if (gas < 0n) throw new RangeCutArgumentError(`gasUsed[${i}]: got ${gas}, expected a gas amount ≥ 0`);
    const overLimit = maxGasPerRange !== undefined && sum + gas > maxGasPerRange;
    if (overLimit) return i === 0 ? 1 : i;
    sum += gas;
    if (i + 1 >= groupSize) return i + 1;
  }
  return undefined;
}

/**
 * Cuts a whole block sequence into ranges by `firstRangeLength`, one after the other. Every block
 * is in exactly one range, or among the `undecided` ones at the end.
 * @example
 * cutRanges([3n, 3n, 3n, 9n, 1n], 2, 8n)
 * // { ranges: [{ blocks: 2, gasUsed: 6n }, { blocks: 1, gasUsed: 3n }, { blocks: 1, gasUsed: 9n }], undecided: 1 }
 */
export function cutRanges(gasUsed: readonly bigint[], groupSize: number, maxGasPerRange?: bigint): RangeCuts {
  const ranges: RangeCut[] = [];
  let at = 0;
  for (;;) {
    const rest = gasUsed.slice(at);
    const blocks = firstRangeLength(rest, groupSize, maxGasPerRange);
    if (blocks === undefined) return { ranges, undecided: rest.length };
    ranges.push({ blocks, gasUsed: rest.slice(0, blocks).reduce((a, b) => a + b, 0n) });
    at += blocks;
  }
}

function checkRule(groupSize: number, maxGasPerRange: bigint | undefined): void {
  if (!(Number.isInteger(groupSize) && groupSize >= 1) && groupSize !== Number.POSITIVE_INFINITY) {
    throw new RangeCutArgumentError(`groupSize: got ${groupSize}, expected an integer ≥ 1 or Infinity`);
  }
  if (groupSize === Number.POSITIVE_INFINITY && maxGasPerRange === undefined) {
    throw new RangeCutArgumentError(
      'groupSize: got Infinity without maxGasPerRange, expected a bound on a range',
    );
  }
  if (maxGasPerRange !== undefined && maxGasPerRange < 1n) {
    throw new RangeCutArgumentError(`maxGasPerRange: got ${maxGasPerRange}, expected a gas amount ≥ 1`);
  }
}

/** The epoch a range starting after block `position` lies in, and how many blocks are left in it. */
export interface EpochOfRange {
  /** The epoch's first block boundary: the range-start it begins at (`origin` + a multiple of `epochBlocks`). */
  readonly epochStart: bigint;
  /** Blocks from `position` to the epoch's end: the most a range starting at `position` may hold. */
  readonly blocksLeft: number;
}

/**
 * The epoch of a range starting at `position` (ranges cover (position, …]): epochs are the spans
 * (origin + k·epochBlocks, origin + (k+1)·epochBlocks], so an epoch boundary always closes a range.
 * @example
 * epochOfRange(130n, 100n, 50) // { epochStart: 100n, blocksLeft: 20 }
 */
export function epochOfRange(position: bigint, origin: bigint, epochBlocks: number): EpochOfRange {
  if (!(Number.isInteger(epochBlocks) && epochBlocks >= 1)) {
    throw new RangeCutArgumentError(`epochBlocks: got ${epochBlocks}, expected an integer ≥ 1`);
  }
  const size = BigInt(epochBlocks);
  const offset = position - origin;
  // Floor division: a position before the origin (an operator's rewind) still has its epoch.
  const index = offset >= 0n ? offset / size : -((-offset + size - 1n) / size);
  const epochStart = origin + index * size;
  return { epochStart, blocksLeft: Number(epochStart + size - position) };
}
