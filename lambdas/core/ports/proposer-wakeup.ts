import type { Logger } from './telemetry.js';

/**
 * Why the proposer is woken: an aggregate group waits for its L1 checkpoint, or a proof the
 * proposer proposes (a message on `proposer.inputTopic`) was recorded.
 */
export type ProposerWakeupReason = 'group-awaits-checkpoint' | 'proof-recorded';

/**
 * Asks for a proposer run now instead of at the next scheduled one (Lambda: an asynchronous
 * `Invoke`; locally: the scheduler runs the proposer at once). Fire and forget: the run is not
 * awaited, a run already going is not interrupted, and the schedule stays the safety sweep, so a
 * lost wake-up only costs latency.
 * @example
 * await wakeProposer(deps, 'proof-recorded'); // logs and swallows a failed wake-up
 */
export interface ProposerWakeup {
  /** Requests one proposer run; resolves once the request is handed over (not when the run ends). */
  wake(reason: ProposerWakeupReason): Promise<void>;
}

/** The default: nobody is woken, the proposer runs on its schedule only. */
export const noProposerWakeup: ProposerWakeup = { wake: async () => {} };

/**
 * Wakes the proposer and never throws: a failed wake-up is logged as a warning and ignored (the
 * scheduled run picks the work up), so it can never fail the dispatch that asked for it.
 */
export async function wakeProposer(
  deps: { readonly proposerWakeup?: ProposerWakeup; readonly logger: Logger },
  reason: ProposerWakeupReason,
): Promise<void> {
  try {
    await (deps.proposerWakeup ?? noProposerWakeup).wake(reason);
  } catch (error) {
    deps.logger.warn('proposer wake-up failed; its next scheduled run picks the work up', {
      reason,
      error: (error as Error).message,
    });
  }
}
