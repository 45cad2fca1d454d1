import type { Clock } from '../core/ports/clock.js';
import type { StateStore } from '../core/ports/state-store.js';
import { type Logger, METRIC, type Metrics } from '../core/ports/telemetry.js';

/** Why the proposer cannot propose until a person acts. */
export type ProposerWaitReason =
  | 'not-approved'
  | 'config-missing'
  | 'verifier-mismatch'
  | 'rollup-config-mismatch'
  | 'vkey-mismatch'
  | 'dispute-game-factory'
  | 'optimistic-mode';

/** Item kind of `proposer-wait/<signer>` (status `waiting` or `clear`). */
export const PROPOSER_WAIT_KIND = 'proposer-wait';

/** The item that says whether the proposer waits on a person, and why: `proposer-wait/<signer>`. */
export function proposerWaitId(signer: string): string {
  return `proposer-wait/${signer.toLowerCase()}`;
}

/**
 * Records, once per run, whether the proposer waits on a person: the item `proposer-wait/<signer>`
 * (status `waiting` with the reason and message, or `clear`), the `ProposerWaiting` gauge (1 or 0),
 * and an error log naming the item while it waits. Best effort for the item: a lost race with a
 * concurrent run writes nothing, as that run records the same facts.
 */
export async function recordProposerWait(
  deps: {
    readonly store: StateStore;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly metrics: Metrics;
  },
  signer: string,
  wait: { readonly reason: ProposerWaitReason; readonly message: string } | undefined,
): Promise<void> {
  const id = proposerWaitId(signer);
  deps.metrics.gauge(METRIC.proposerWaiting, wait === undefined ? 0 : 1);
  const existing = await deps.store.get(id);
  if (wait === undefined && (existing === undefined || existing.status === 'clear')) return;
  const since =
    existing?.status === 'waiting' && typeof existing.data.since === 'string'
      ? existing.data.since
      : deps.clock.now().toISOString();
  const item = {
    id,
    kind: PROPOSER_WAIT_KIND,
    status: wait === undefined ? 'clear' : 'waiting',
    sortKey: signer.toLowerCase(),
    data: wait === undefined ? {} : { reason: wait.reason, message: wait.message, since },
  };
  if (existing === undefined) await deps.store.create(item);
  else await deps.store.replace(item, existing.version);
  if (wait !== undefined) {
    deps.logger.error('proposer waits on a person', {
      itemId: id,
      reason: wait.reason,
      message: wait.message,
      since,
    });
  }
}
