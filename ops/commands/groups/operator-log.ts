import { z } from 'zod';
import type { StateStore, StoredItem } from '../../../lambdas/core/ports/state-store.js';
import { parseItemData } from '../../../lambdas/core/schema/parse-item-data.js';

/** One operator action on a group: who, when, why, and the move it made. */
export interface OperatorAction {
  readonly action: 'retry' | 'bisect' | 'abandon' | 'prove-range';
  readonly by: string;
  readonly at: string;
  readonly reason?: string;
  readonly from?: string;
  readonly to: string;
}

const OPERATOR_LOG_KIND = 'operator-log';

const logSchema = z.object({
  actions: z.array(
    z.object({
      action: z.enum(['retry', 'bisect', 'abandon', 'prove-range']),
      by: z.string(),
      at: z.string(),
      reason: z.string().optional(),
      from: z.string().optional(),
      to: z.string(),
    }),
  ),
});

/**
 * `operator-log/<groupId>`: the operator actions on one group, oldest first. Kept beside the group
 * item, not in it: the orchestrator rewrites a group's data from its typed state on every move, so
 * a field it does not know would be lost at the next one.
 */
export function operatorLogId(groupId: string): string {
  return `${OPERATOR_LOG_KIND}/${groupId}`;
}

/** The actions recorded for `groupId` (none when there is no log). */
export async function readOperatorLog(store: StateStore, groupId: string): Promise<OperatorAction[]> {
  const item = await store.get(operatorLogId(groupId));
  return item === undefined ? [] : actionsOf(item);
}

function actionsOf(item: StoredItem): OperatorAction[] {
  return parseItemData(logSchema, item.data, 'operator log', item.id).actions as OperatorAction[];
}

/** Appends `action` to the group's log (version-conditional create or replace, read again on a conflict). */
export async function recordOperatorAction(
  store: StateStore,
  groupId: string,
  action: OperatorAction,
): Promise<void> {
  const id = operatorLogId(groupId);
  for (;;) {
    const existing = await store.get(id);
    const actions = [...(existing === undefined ? [] : actionsOf(existing)), action];
    const item = { id, kind: OPERATOR_LOG_KIND, status: 'recorded', sortKey: groupId, data: { actions } };
    const written =
      existing === undefined ? await store.create(item) : await store.replace(item, existing.version);
    if (written) return;
  }
}
