import type { StateStore } from '../ports/state-store.js';
import { type Logger, METRIC, type Metrics } from '../ports/telemetry.js';
import { type PauseState, type PauseTarget, pauseTargetName, readPause } from './pause-switch.js';

/** What a handler needs to honour a switch: the store it reads, and where it reports. */
export interface PauseReaderDeps {
  readonly store: StateStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Reads the switch of `target` once (one GetItem) and reports it: the gauge `METRIC.paused`
 * {target} is 1 while set and 0 otherwise, and a set switch is logged at warn with its reason, who
 * set it and since when, so a paused handler is never silent.
 *
 * @returns the switch when set (the caller holds its work back), else undefined.
 * @example
 * const paused = await honourPause(deps, { kind: 'watcher' });
 * if (paused !== undefined) return { paused };
 */
export async function honourPause(
  deps: PauseReaderDeps,
  target: PauseTarget,
): Promise<PauseState | undefined> {
  const paused = await readPause(deps.store, target);
  const name = pauseTargetName(target);
  deps.metrics.gauge(METRIC.paused, paused === undefined ? 0 : 1, { target: name });
  if (paused !== undefined) {
    deps.logger.warn(
      `${name} paused: its work waits until the switch is cleared (npm run ops -- resume ${name})`,
      {
        pauseId: paused.itemId,
        reason: paused.reason,
        by: paused.by,
        setter: paused.setter,
        since: paused.since,
      },
    );
  }
  return paused;
}
