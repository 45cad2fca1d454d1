import type { ServiceCallCounts } from '../devnet/stand-ins/service-call-counter.js';

/** Operations listed per function, the most frequent first. */
const TOP_OPERATIONS = 5;

/**
 * The benchmark's per-function lines: for each calling function (the handlers, and the Batch jobs and
 * setup together), its AWS calls per proposed L2 block, per invocation (where the function was
 * invoked) and its most frequent operations per block, the biggest caller first.
 *
 * @example
 * callsByFunctionLines(stats.calls, { watcher: 240 }, 200)
 * // ['    watcher     4.80 per block, 4.00 per invocation (240): dynamodb:GetItem 2.40, …']
 */
export function callsByFunctionLines(
  calls: ServiceCallCounts,
  invocations: Readonly<Record<string, number>>,
  blocks: number,
): string[] {
  const total = (operations: Record<string, number>): number =>
    Object.values(operations).reduce((sum, n) => sum + n, 0);
  return Object.entries(calls.byCaller)
    .sort(([, a], [, b]) => total(b) - total(a))
    .map(([caller, operations]) => {
      const runs = invocations[caller];
      const perRun =
        runs === undefined || runs === 0
          ? ''
          : `, ${(total(operations) / runs).toFixed(2)} per invocation (${runs})`;
      const top = Object.entries(operations)
        .sort(([, a], [, b]) => b - a)
        .slice(0, TOP_OPERATIONS)
        .map(([operation, n]) => `${operation} ${(n / blocks).toFixed(2)}`)
        .join(', ');
      return `    ${caller.padEnd(11)} ${(total(operations) / blocks).toFixed(2)} per block${perRun}: ${top}`;
    });
}
