import type { ManualClock } from '../../../../lambdas/adapters/memory/manual-clock.js';
import type { Envelope } from '../../../../lambdas/core/messages/envelope.js';
import { blockEnvelope } from './orchestrator-fixture.js';

/** The block numbers `from`..`to`, both included. */
export const blocks = (from: number, to: number): bigint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

/** A `blocks` message for block `n` as the watcher sends it, carrying `gasUsed`. */
export function gasBlockEnvelope(n: bigint, gasUsed: bigint, clock: ManualClock): Envelope {
  const envelope = blockEnvelope(n, clock);
  return { ...envelope, payload: { ...(envelope.payload as object), gasUsed: gasUsed.toString(10) } };
}
