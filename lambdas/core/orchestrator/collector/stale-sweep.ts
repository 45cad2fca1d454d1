import { sortKeyOf } from '../../messages/ids.js';
import { settleMessage } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { PLAN_PAGE_SIZE, type PlanPage } from './plan-page.js';

/** How many stale messages (behind the cursor) one run settles as `skipped`. */
const STALE_SWEEP_LIMIT = 100;

/**
 * Stale messages read per list call where the page cannot serve planning (members pending behind
 * the cursor lie between the stale ones and the cursor); usually the first page holds none.
 */
const STALE_SWEEP_PAGE = 10;

/**
 * Settles as `skipped` the pending messages of a Sequential inbox that start before `bound`: they
 * can never join a group (overlap or replay). `bound` is the cursor `position`, or, where members
 * stay pending behind the cursor (block keys), the origin: a pending block behind the cursor is a member.
 *
 * Returns the plan page from `position` on when the sweep's last list answers it too, so planning
 * lists no page of its own: with `bound` at `position` the pending messages from the start are the
 * stale ones, then those from `position` on, so a page of `PLAN_PAGE_SIZE` read from the start that
 * ends past the stale ones holds the first pending messages from `position` on, as complete as it
 * is. Undefined otherwise (members between `bound` and `position`, or the sweep stopped at its limit).
 */
export async function sweepStaleMessages(
  deps: OrchestratorDeps,
  inboxKind: string,
  bound: bigint,
  position: bigint,
): Promise<PlanPage | undefined> {
  const boundKey = sortKeyOf(bound);
  const servesPlanning = bound === position;
  const limit = servesPlanning ? PLAN_PAGE_SIZE : STALE_SWEEP_PAGE;
  for (let swept = 0; swept < STALE_SWEEP_LIMIT; ) {
    const oldest = await deps.store.list(inboxKind, 'pending', { limit });
    const stale = oldest.filter((item) => item.sortKey < boundKey);
    for (const item of stale) {
      const status = await settleMessage(deps, item.id, 'skipped');
      deps.logger.warn('message behind the cursor skipped', {
        messageId: item.id,
        cursor: position.toString(),
        status,
      });
    }
    swept += stale.length;
    if (stale.length < limit) {
      if (!servesPlanning) return undefined;
      return { items: oldest.filter((item) => item.sortKey >= boundKey), complete: oldest.length < limit };
    }
  }
  return undefined;
}
