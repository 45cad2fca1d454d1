import { sortKeyOf } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { L2Rewind } from './rewind-intent.js';
import { messageEnd, messageShelves } from './rewound-messages.js';

/** Message statuses of work not yet proposed: what a rewind invalidates above the ancestor. */
const LIVE_STATUSES = ['pending', 'collected', 'superseded'] as const;

/**
 * Rewind step 1: every block and proof message covering a block above the ancestor, on every
 * shelf (`messageShelves`), goes to `invalidated`: no collector takes it and the proposer does not
 * propose it. Listed from `floor` (the proposed head, or the origin): nothing unproposed starts
 * below it. Idempotent (an invalidated message is not listed again).
 * @returns how many messages this call moved.
 */
export async function invalidateMessagesAbove(
  deps: Pick<OrchestratorDeps, 'config' | 'store' | 'logger' | 'metrics'>,
  rewind: L2Rewind,
  floor: bigint,
): Promise<number> {
  let moved = 0;
  for (const shelf of messageShelves(deps.config)) {
    for (const status of LIVE_STATUSES) {
      const items = await deps.store.list(shelf.kind, status, { fromSortKey: sortKeyOf(floor) });
      for (const item of items) {
        const end = messageEnd(item, shelf.keyKind);
        if (end === undefined || end <= rewind.ancestor) continue;
        if (await invalidateMessage(deps, item)) {
          moved++;
          deps.metrics.count(METRIC.reorgWorkInvalidated, 1, { kind: shelf.workKind });
        }
      }
    }
  }
  if (moved > 0)
    deps.logger.warn('L2 rewind: messages above the ancestor invalidated', {
      ancestor: rewind.ancestor.toString(),
      messages: moved,
    });
  return moved;
}

/** Moves the message to `invalidated`, reading it again after a lost race; false when it left the live statuses. */
export async function invalidateMessage(
  deps: Pick<OrchestratorDeps, 'store'>,
  listed: StoredItem,
): Promise<boolean> {
  let item: StoredItem | undefined = listed;
  while (item !== undefined && (LIVE_STATUSES as readonly string[]).includes(item.status)) {
    if (await deps.store.replace({ ...item, status: 'invalidated' }, item.version)) return true;
    item = await deps.store.get(listed.id);
  }
  return false;
}
