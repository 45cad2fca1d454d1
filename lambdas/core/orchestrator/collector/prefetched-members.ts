import type { PipelineConfig, StageConfig } from '../../config/schema.js';
import { blockKey, messageId } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { stageInbox } from '../messages/message-records.js';
import { blockBoundOf } from '../setup/pipeline-stages.js';
import { PLAN_PAGE_SIZE, type PlanPage } from './plan-page.js';

/**
 * The next groups' member items, read with a run's first batch read (the cursor, pause switch and
 * breaker) instead of a plan page list of their own: a Sequential stage with block keys names the
 * messages the groups from `position` can hold (`<topic>/<n>` for n = position+1 …), so when the
 * process knows the cursor's position from its previous run (`FinishedGroups.positionOf`), one
 * BatchGetItem answers cursor and members together. As many whole groups are read ahead as fit in a
 * plan page: a delivered batch can complete more than one group (10 records: two of 5 blocks), and
 * the missing block after the last one it completes is the gap that ends planning without a list. A
 * guess that missed (another process moved the cursor) only costs the plan page it would have read anyway.
 */
export interface PrefetchedMembers {
  /** The cursor position the ids were guessed from. */
  readonly position: bigint;
  readonly ids: readonly string[];
}

/**
 * The ids to read ahead for the groups of `stage` from `position` (none known: undefined): as many
 * whole groups of the stage's block bound (`groupSize`/`minSpan`) as fit in a plan page
 * (`PLAN_PAGE_SIZE`), or undefined when the stage cannot say: range keys (a member's id depends on
 * its end), no block bound (a gas-only cut has no known length), or a bound above a plan page (more
 * items than a page would cost more reads than the page).
 */
export function prefetchedMembers(
  config: PipelineConfig,
  stage: StageConfig,
  position: bigint | undefined,
): PrefetchedMembers | undefined {
  const bound = blockBoundOf(stage);
  if (position === undefined || bound === undefined || bound > PLAN_PAGE_SIZE) return undefined;
  const topic = stage.inputTopics[0]!;
  const inbox = stageInbox(config, stage.name, topic);
  const length = Math.floor(PLAN_PAGE_SIZE / bound) * bound;
  const ids = Array.from({ length }, (_, i) =>
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
