import type { PipelineConfig, StageConfig } from '../../config/schema.js';
import { blockKey, messageId } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { stageInbox } from '../messages/message-records.js';
import { PLAN_PAGE_SIZE, type PlanPage } from './plan-page.js';

/**
 * The next group's member items, read with a run's first batch read (the cursor, pause switch and
 * breaker) instead of a plan page list of their own: a Sequential stage with block keys names the
 * messages a group from `position` can hold (`<topic>/<n>` for n = position+1 …, as many as the
 * group's block bound), so when the process knows the cursor's position from its previous run
 * (`FinishedGroups.positionOf`), one BatchGetItem answers cursor and members together. A guess
 * that missed (another process moved the cursor) only costs the plan page it would have read anyway.
 */
export interface PrefetchedMembers {
  /** The cursor position the ids were guessed from. */
  readonly position: bigint;
  readonly ids: readonly string[];
}

/**
 * The ids to read ahead for a group of `stage` from `position` (none known: undefined), or
 * undefined when the stage cannot say: range keys (a member's id depends on its end) or no block
 * bound (`groupSize`/`minSpan`; a gas-only cut has no known length), or when the bound is above a
 * plan page (`PLAN_PAGE_SIZE`): more items than a page would cost more reads than the page.
 */
export function prefetchedMembers(
  config: PipelineConfig,
  stage: StageConfig,
  position: bigint | undefined,
): PrefetchedMembers | undefined {
  const rule = stage.collector;
  if (position === undefined || rule.strategy !== 'sequential' || rule.keyKind !== 'block') return undefined;
  const bound = Math.min(
    rule.groupSize ?? Number.POSITIVE_INFINITY,
    rule.minSpan ?? Number.POSITIVE_INFINITY,
  );
  if (!Number.isFinite(bound) || bound > PLAN_PAGE_SIZE) return undefined;
  const topic = stage.inputTopics[0]!;
  const inbox = stageInbox(config, stage.name, topic);
  const ids = Array.from({ length: bound }, (_, i) =>
    inbox.itemId(messageId(topic, blockKey(position + 1n + BigInt(i)))),
  );
  return { position, ids };
}

/**
 * The plan page the read-ahead items stand for: the pending ones up to the first that is missing
 * or not pending. That one is a gap (no other message of a block-keyed inbox starts there), so the
 * page is `complete` then; when every one was pending, planning reads on after them as after a page.
 */
export function prefetchedPage(items: readonly (StoredItem | undefined)[]): PlanPage {
  const gap = items.findIndex((item) => item?.status !== 'pending');
  if (gap === -1) return { items: items as StoredItem[], complete: false };
  return { items: items.slice(0, gap) as StoredItem[], complete: true };
}
