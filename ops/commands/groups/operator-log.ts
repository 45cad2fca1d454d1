import { z } from 'zod';
import type { StateStore, StoredItem } from '../../../lambdas/core/ports/state-store.js';
import { parseItemData } from '../../../lambdas/core/schema/parse-item-data.js';

/** What an operator did: a group move, a hand-made group, or setting or clearing a pause switch. */
export const OPERATOR_ACTIONS = ['retry', 'bisect', 'abandon', 'prove-range', 'pause', 'resume'] as const;

/** One operator action on a group or a pause switch: who, when, why, and the move it made. */
export interface OperatorAction {
  readonly action: (typeof OPERATOR_ACTIONS)[number];
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
      action: z.enum(OPERATOR_ACTIONS),
      by: z.string(),
      at: z.string(),
      reason: z.string().optional(),
      from: z.string().optional(),
      to: z.string(),
    }),
  ),
});

/**
 * `operator-log/<subject>`: the operator actions on one group (`operator-log/range/1-6`) or one
 * pause switch (`operator-log/pause/proposer`), oldest first. Kept beside the group item, not in
 * it: the orchestrator rewrites a group's data from its typed state on every move, so a field it
 * does not know would be lost at the next one; a resumed switch's item is deleted.
 */
export function operatorLogId(subjectId: string): string {
  return `${OPERATOR_LOG_KIND}/${subjectId}`;
}

/** The actions recorded for `subjectId`, a group or pause switch id (none when there is no log). */
export async function readOperatorLog(store: StateStore, subjectId: string): Promise<OperatorAction[]> {
  const item = await store.get(operatorLogId(subjectId));
  return item === undefined ? [] : actionsOf(item);
}

function actionsOf(item: StoredItem): OperatorAction[] {
  return parseItemData(logSchema, item.data, 'operator log', item.id).actions as OperatorAction[];
}

/** Appends `action` to the subject's log (version-conditional create or replace, read again on a conflict). */
export async function recordOperatorAction(
  store: StateStore,
  subjectId: string,
  action: OperatorAction,
): Promise<void> {
  const id = operatorLogId(subjectId);
  for (;;) {
    const existing = await store.get(id);
    const actions = [...(existing === undefined ? [] : actionsOf(existing)), action];
    const item = { id, kind: OPERATOR_LOG_KIND, status: 'recorded', sortKey: subjectId, data: { actions } };
    const written =
      existing === undefined ? await store.create(item) : await store.replace(item, existing.version);
    if (written) return;
  }
}
