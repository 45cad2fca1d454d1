import type { PipelineConfig, StageConfig } from '../../config/schema.js';
import { messageId, rangeKey } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { stageInbox } from '../messages/message-records.js';
import { fixedRangeBlocksOf, producingStage } from '../setup/pipeline-stages.js';
import { PLAN_PAGE_SIZE, type PlanPage } from './plan-page.js';

/** The read-ahead of a range-keyed stage: the guessed ids, and how many of them one group takes. */
export interface PrefetchedRanges {
  readonly ids: readonly string[];
  readonly rangesPerGroup: number;
}

/**
 * The range messages a range-keyed Sequential stage (an aggregate) would group from `position` if
 * the stage producing its input cuts ranges of a fixed length B (`fixedRangeBlocksOf`):
 * `<topic>/p-(p+B)`, `<topic>/(p+B)-(p+2B)`, …, as many whole groups as fit in a plan page, a group
 * being `groupSize` ranges or the ranges that reach `minSpan` blocks, whichever is fewer. Undefined
 * when the ends cannot be named: no producer of the topic, a producer cutting by gas or adaptive
 * size, or one whose groups are themselves chains of ranges (range keys), or a group above a page.
 */
export function prefetchedRanges(
  config: PipelineConfig,
  stage: StageConfig,
  position: bigint,
): PrefetchedRanges | undefined {
  const rule = stage.collector;
  const topic = stage.inputTopics[0]!;
  const producer = producingStage(config, topic);
  const blocks = producer === undefined ? undefined : fixedRangeBlocksOf(producer);
  if (rule.strategy !== 'sequential' || blocks === undefined) return undefined;
  const bySpan = rule.minSpan === undefined ? Number.POSITIVE_INFINITY : Math.ceil(rule.minSpan / blocks);
  const rangesPerGroup = Math.min(rule.groupSize ?? Number.POSITIVE_INFINITY, bySpan);
  if (!Number.isFinite(rangesPerGroup) || rangesPerGroup > PLAN_PAGE_SIZE) return undefined;
  const inbox = stageInbox(config, stage.name, topic);
  const length = Math.floor(PLAN_PAGE_SIZE / rangesPerGroup) * rangesPerGroup;
  const step = BigInt(blocks);
  const ids = Array.from({ length }, (_, i) => {
    const start = position + BigInt(i) * step;
    return inbox.itemId(messageId(topic, rangeKey(start, start + step)));
  });
  return { ids, rangesPerGroup };
}

/**
 * The plan page the guessed ranges stand for, or undefined (plan from a listed page, as without a
 * guess) unless their leading pending ones make at least one whole group. Then the page is those
 * leading pending ones, `complete` when a guessed one after them was missing or not pending (when
 * all were pending, planning reads on after them as after a page).
 *
 * Why a page made of guesses plans what a listed page would, where it matters:
 * - The groups formed from it are the listed page's: a group is the chain from the cursor, and the
 *   guessed pending ranges are that chain (each starts where the one before ended) unless another
 *   pending range starts at one of their starts and ends sooner (the collector would take that
 *   one). The producer's live ranges do not overlap: its cursor passes a block once, and an L2
 *   rewind invalidates every range covering a block above the ancestor before its cursor moves
 *   back to the first of them, so a re-formed cut only meets invalidated ranges. Were one to
 *   overlap anyway, the guessed chain is still a chain of pending ranges decided by the cursor's
 *   conditional replace, and the other range, now behind the cursor, is skipped by the sweep (logged).
 * - A missing or not pending guess does not prove a gap: a partial flush, a bisected range or a
 *   re-formed cut ends elsewhere. So a guess that does not make a whole group gives no page at all
 *   (the run lists one, exactly as it would have). After whole groups it ends the page: a pending
 *   range there with another end (a partial flush recorded before the ranges it waited for) is not
 *   grouped by this run but by the stage's next one: the next delivery, whose guess from the new
 *   cursor misses on it and lists a page, or at the latest the stage's next sweep
 *   (`sweepIntervalSeconds`), whose list is its first page. Delayed, never lost or mis-grouped.
 * - A member being re-proven in place is `superseded`, and its re-proof lands `collected` while a
 *   group holds it: never pending, so never taken from a guess. Stale ranges (behind the cursor)
 *   are never guessed (guesses start at the cursor), and where the sweep's list gave the first
 *   page (`sweepStaleMessages`) the collector plans from that page, not from the guess.
 */
export function prefetchedRangePage(
  items: readonly (StoredItem | undefined)[],
  rangesPerGroup: number,
): PlanPage | undefined {
  const stop = items.findIndex((item) => item?.status !== 'pending');
  const pending = stop === -1 ? items.length : stop;
  if (pending < rangesPerGroup) return undefined;
  return { items: items.slice(0, pending) as StoredItem[], complete: stop !== -1 };
}
