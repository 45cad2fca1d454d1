/**
 * The size bucket of a group of `blocks` blocks: the power of two at or above it (1, 2, 4, … 32, 64),
 * so ranges cut to 30, 31 or 32 blocks share their observed durations, and a bisected half has its own.
 *
 * @example sizeBucket(30n) // 32
 */
export function sizeBucket(blocks: bigint): number {
  let bucket = 1n;
  while (bucket < blocks) bucket *= 2n;
  return Number(bucket);
}

/**
 * The 90th percentile of `seconds` by nearest rank (the smallest value at or above 90 % of the
 * samples), or undefined for no samples.
 *
 * @example p90([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) // 90
 */
export function p90(seconds: readonly number[]): number | undefined {
  if (seconds.length === 0) return undefined;
  const sorted = [...seconds].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1];
}
