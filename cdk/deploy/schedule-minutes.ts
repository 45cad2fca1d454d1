/**
 * Whole minutes of a schedule for an EventBridge `rate(N minutes)` expression, or a problem line
 * naming `path` when `everySeconds` is not a whole number of minutes ≥ 1 (EventBridge's resolution).
 */
export function scheduleMinutes(everySeconds: number, path: string): number | string {
  if (everySeconds < 60 || everySeconds % 60 !== 0) {
    return `${path}: got ${everySeconds}, expected a whole number of minutes in seconds (60, 120, 300, …): EventBridge schedules have one-minute resolution`;
  }
  return everySeconds / 60;
}
