import type { EvaluateOnExit } from './local-job.js';

/** AWS Batch's evaluateOnExit: the first matching condition decides; no match retries. */
export function shouldRetry(
  conditions: readonly EvaluateOnExit[],
  exitCode: number | null,
  statusReason: string,
): boolean {
  for (const condition of conditions) {
    const matches =
      (condition.onStatusReason === undefined || globMatches(condition.onStatusReason, statusReason)) &&
      (condition.onReason === undefined || globMatches(condition.onReason, statusReason)) &&
      (condition.onExitCode === undefined || globMatches(condition.onExitCode, String(exitCode ?? '')));
    if (matches) return condition.action.toUpperCase() === 'RETRY';
  }
  return true;
}

/**
 * A Batch glob as the local Batch supports it: exact, or a prefix ending with `*` (also the form of
 * the fault patterns, so tests name jobs the way retry strategies do).
 */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}
