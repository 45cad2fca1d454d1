import type { PipelineConfig } from '../core/config/schema.js';

/**
 * Longest a watcher tick holds new blocks back, in seconds after its container's last full run
 * (the read of the switch, the rewind intent and the cursor): the bound on the latency a hold adds.
 */
export const MAX_HOLD_SECONDS = 5;

/**
 * Blocks per group of the stages the watcher feeds, when every one of them cuts its groups by
 * count alone (Sequential, block keys, the same `groupSize`, no `maxGasPerRange`), else 1: then a
 * boundary depends on the blocks' gas, and holding blocks back could only delay a group.
 */
export function blocksPerFedGroup(config: PipelineConfig): number {
  const fed = config.stages.filter((stage) => stage.inputTopics.includes(config.watcher.outputTopic));
  const sizes = new Set<number | undefined>(
    fed.map((stage) =>
      stage.collector.strategy === 'sequential' &&
      stage.collector.keyKind === 'block' &&
      stage.collector.maxGasPerRange === undefined
        ? stage.collector.groupSize
        : undefined,
    ),
  );
  const [size] = sizes;
  return sizes.size === 1 && size !== undefined ? size : 1;
}

/**
 * What one watcher container remembers between its ticks to send blocks in fuller batches when
 * its ticks come faster than the chain fills a group (the devnet: a tick and a block each second,
 * groups of 5 blocks). Each tick that enqueues costs a batch read, a send and a cursor write
 * whatever it carries; a range group only forms once its last block is recorded. So a tick
 * enqueues through the last block that ends a group counted from `startBlock` (where the first
 * stage's cursor starts, so its groups end there while it cuts by count) and holds the blocks
 * after it, and a tick that would enqueue nothing skips the store altogether (`skips`).
 *
 * Bounds: blocks are held at most `MAX_HOLD_SECONDS` after the container's last full run (then a
 * run enqueues all it read); nothing is held when the ticks are `MAX_HOLD_SECONDS` or more apart
 * (AWS: each minute) or when the fed stages cut by gas (`blocksPerFedGroup` 1); a run capped by
 * `maxBlocksPerRun` enqueues all it reads. A tick skips only after a clean full run of this
 * container (not paused, no reorg, no lost cursor race, no error), so a pause, a rewind left by a
 * crash or a cursor moved by another run is seen within `MAX_HOLD_SECONDS`; a held block is read
 * from L2, and its parent hash checked, when it is enqueued. In memory only: a fresh container
 * holds nothing on its first tick.
 */
export class BlockHold {
  private readonly groupBlocks: bigint;
  private readonly origin: bigint;
  private readonly enabled: boolean;
  /** The cursor after this container's last clean full run, and when that run started (epoch ms). */
  private lastRun: { readonly position: bigint; readonly startedAt: number } | undefined;

  constructor(config: PipelineConfig) {
    this.groupBlocks = BigInt(blocksPerFedGroup(config));
    this.origin = BigInt(config.chains.l2.startBlock);
    this.enabled = this.groupBlocks > 1n && config.watcher.schedule.everySeconds < MAX_HOLD_SECONDS;
  }

  /**
   * Whether a tick at `now` may skip the store, once it read the L2 head: the last clean full run
   * was less than `MAX_HOLD_SECONDS` ago. An unarmed tick runs in full (the switch first, so a
   * paused watcher reads nothing from L2).
   */
  armed(now: number): boolean {
    const last = this.lastRun;
    return this.enabled && last !== undefined && now - last.startedAt < MAX_HOLD_SECONDS * 1000;
  }

  /**
   * The cursor of the last clean full run when an armed tick that sees the L2 head at `head` would
   * enqueue nothing from it (no new block, or only blocks it holds): the tick skips the store.
   * Undefined: the tick runs in full.
   */
  heldCursor(head: bigint, now: number): bigint | undefined {
    const last = this.lastRun;
    if (last === undefined || !this.armed(now)) return undefined;
    return this.enqueueThrough(last.position, head, now) <= last.position ? last.position : undefined;
  }

  /**
   * The last block a full run started at `now` enqueues, of `cursor + 1 … last` (`last` already
   * capped by `maxBlocksPerRun`; `capped` when that cap, not the head, set it): `last` itself, or
   * the last group end after the cursor, or the cursor (hold them all).
   */
  enqueueThrough(cursor: bigint, last: bigint, now: number, capped = false): bigint {
    const held = this.lastRun;
    if (!this.enabled || capped || last <= cursor) return last;
    if (held === undefined || now - held.startedAt >= MAX_HOLD_SECONDS * 1000) return last;
    const groupEnd = last - ((last - this.origin) % this.groupBlocks);
    return groupEnd > cursor ? groupEnd : cursor;
  }

  /**
   * Records a clean full run that started at `startedAt`; `position` is the cursor it left. A run
   * that held every block it found keeps the earlier start, so the bound counts from the run that
   * last enqueued or found nothing new.
   */
  ranClean(position: bigint, startedAt: number, heldAll: boolean): void {
    this.lastRun = { position, startedAt: heldAll ? (this.lastRun?.startedAt ?? startedAt) : startedAt };
  }

  /** After a paused, reorged, raced or failed run: the next tick runs in full. */
  forget(): void {
    this.lastRun = undefined;
  }
}
