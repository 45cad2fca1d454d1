/** The block numbers `from`..`to`, both included. */
export const blocks = (from: number, to: number): bigint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
