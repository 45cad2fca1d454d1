/**
 * Why a job's results do not cover its group `(start, end]` exactly — contiguous, no overlap, from
 * start to end, each span non-empty — or undefined when they do. A group whose span is unknown
 * (`start == end`: a Match group over keys that are not spans) only needs non-empty spans that do
 * not overlap.
 *
 * @example resultCoverageProblem([{ start: 0n, end: 3n }], 0n, 5n) // 'results end at 3, the group at 5: blocks 4…5 are not covered'
 */
export function resultCoverageProblem(
  results: readonly { readonly start: bigint; readonly end: bigint }[],
  start: bigint,
  end: bigint,
): string | undefined {
  const empty = results.find((r) => r.end <= r.start);
  if (empty !== undefined) return `result ${empty.start}-${empty.end} covers no block`;
  const sorted = [...results].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const known = end > start;
  if (known && sorted[0] !== undefined && sorted[0].start !== start) {
    return sorted[0].start > start
      ? `results start at ${sorted[0].start}, the group at ${start}: blocks ${start + 1n}…${sorted[0].start} are not covered`
      : `result ${sorted[0].start}-${sorted[0].end} starts before the group ${start}-${end}`;
  }
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const next = sorted[i]!;
    if (next.start < previous.end)
      return `results ${previous.start}-${previous.end} and ${next.start}-${next.end} overlap`;
    if (known && next.start > previous.end)
      return `gap between results ${previous.start}-${previous.end} and ${next.start}-${next.end}: blocks ${previous.end + 1n}…${next.start} are not covered`;
  }
  const last = sorted.at(-1);
  if (known && last !== undefined && last.end !== end) {
    return last.end < end
      ? `results end at ${last.end}, the group at ${end}: blocks ${last.end + 1n}…${end} are not covered`
      : `result ${last.start}-${last.end} ends after the group ${start}-${end}`;
  }
  return undefined;
}
