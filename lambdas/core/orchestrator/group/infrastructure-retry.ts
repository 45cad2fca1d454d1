/**
 * Infrastructure failures in a row a group is retried through before it is abandoned with a named
 * reason (an image that never pulls, a quota of 0, a node that never answers need a person). They
 * never count toward the stage's `executor.attempts` and never bisect a range.
 */
export const INFRASTRUCTURE_RETRY_LIMIT = 5;

/** Wait before the first infrastructure retry; doubled for each further one. */
const FIRST_BACKOFF_SECONDS = 30;

/** The longest wait between two infrastructure retries. */
const MAX_BACKOFF_SECONDS = 900;

/**
 * When the retry after the `failuresInARow`-th infrastructure failure may start: 30 s, 60 s, 120 s …
 * up to 15 min after `now`.
 */
export function infrastructureRetryAt(now: Date, failuresInARow: number): string {
  const seconds = Math.min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** Math.max(0, failuresInARow - 1));
  return new Date(now.getTime() + seconds * 1000).toISOString();
}
