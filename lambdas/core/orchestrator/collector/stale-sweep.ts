import { sortKeyOf } from '../../messages/ids.js';
import { settleMessage } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** How many stale messages (behind the cursor) one run settles as `skipped`. */
const STALE_SWEEP_LIMIT = 100;

/** Stale messages read per list call; usually the first page holds none and the sweep ends there. */
const STALE_SWEEP_PAGE = 10;

/**
 * Settles as `skipped` the pending messages of a Sequential inbox that start before `bound`: they
 * can never join a group (overlap or replay). `bound` is the cursor `position`, or, where members
 * stay pending behind the cursor (block keys), the origin: a pending block behind the cursor is a member.
 */
export async function sweepStaleMessages(
  deps: OrchestratorDeps,
  inboxKind: string,
  bound: bigint,
  position: bigint,
): Promise<void> {
  const boundKey = sortKeyOf(bound);
  for (let swept = 0; swept < STALE_SWEEP_LIMIT; ) {
    const oldest = await deps.store.list(inboxKind, 'pending', { limit: STALE_SWEEP_PAGE });
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
    if (stale.length < STALE_SWEEP_PAGE) return;
  }
}
