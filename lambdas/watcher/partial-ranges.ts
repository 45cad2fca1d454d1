import * as z from 'zod';
import type { PipelineConfig, StageConfig } from '../core/config/schema.js';
import { cursorId } from '../core/messages/ids.js';
import type { PartialGroupsDue } from '../core/orchestrator/scheduled-collectors.js';
import type { StateStore } from '../core/ports/state-store.js';
import { decimalString } from '../core/schema/primitives.js';

const stageCursorSchema = z.object({ position: decimalString });

/** A run that enqueued blocks `… through` (after the previous run's cursor), started at `at` (epoch ms). */
interface Send {
  readonly through: bigint;
  readonly at: number;
}

/** A stage this container can tell about: Sequential, block keys, fed by the watcher alone, a max wait. */
interface FollowedStage {
  readonly name: string;
  readonly cursorId: string;
  /** `maxWaitSeconds` plus one tick, in ms: the youngest a block's send can be for its range to be due. */
  readonly dueAfterMs: number;
}

/**
 * What one watcher container knows about the partial ranges its blocks can leave, so its ticks look
 * at a stage that flushes on time (`maxWaitSeconds`) only when a partial range can be due, instead
 * of `FLUSH_CHECKS_PER_PERIOD` times per period (`runScheduledCollectors`).
 *
 * A partial range is a chain of recorded blocks after the stage cursor; it is due `maxWaitSeconds`
 * after its oldest block (the one after the cursor) was recorded, never before that block was
 * sent. Each full watcher run reads the cursors of the stages it follows in its one batch read (no
 * call of their own) and remembers when it sent which blocks. So a tick can say "not due" when every
 * block after the stage cursor was sent by this container less than `maxWaitSeconds` + one tick ago;
 * once one is older, the stage is looked at on the periodic rule until a later full run reads its
 * cursor past it. A block recorded later than sent (a redelivery) is only found later, as it is
 * recorded later: the bound "`maxWaitSeconds` after recording, plus a tenth of it" holds.
 *
 * Blocks whose sending this container did not see count as overdue until a stage cursor is read
 * past them: all blocks up to the cursor after a fresh container's first full run (a crashed run may
 * have sent them earlier), after a paused, reorged, raced or failed run (`forget`), and when the
 * watcher cursor was moved by another run. The recovery sweeps (`SWEEP_INTERVAL_SECONDS`) still run
 * every stage's collector, so any partial range is looked at within that interval whatever this
 * container believes. Followed: Sequential stages with block keys and a max wait whose only input
 * is the watcher's topic; any other stage keeps the periodic rule. On AWS (minute ticks) every tick
 * sweeps every stage, so nothing changes there. In memory only.
 */
export class PartialRanges {
  private readonly stages: readonly FollowedStage[];
  /** Blocks up to here were sent at times this container does not know; undefined: none known at all. */
  private unknownThrough: bigint | undefined;
  private sends: Send[] = [];
  /** The watcher cursor this container's last clean run left (to tell another run's sends). */
  private enqueuedHead: bigint | undefined;
  /** The watcher cursor the current run started from, and when the run started. */
  private run: { readonly from: bigint; readonly startedAt: number } | undefined;
  /** Each followed stage's cursor position, as the last full run read it. */
  private readonly grouped = new Map<string, bigint>();

  constructor(config: PipelineConfig) {
    const tickMs = config.watcher.schedule.everySeconds * 1000;
    this.stages = config.stages.flatMap((stage) => {
      const rule = stage.collector;
      const fedByWatcherAlone =
        stage.inputTopics.length === 1 && stage.inputTopics[0] === config.watcher.outputTopic;
      if (!fedByWatcherAlone || rule.strategy !== 'sequential' || rule.keyKind !== 'block') return [];
      if (rule.maxWaitSeconds === undefined) return [];
      return [
        { name: stage.name, cursorId: cursorId(stage.name), dueAfterMs: rule.maxWaitSeconds * 1000 + tickMs },
      ];
    });
  }

  /** The stage cursors a full run reads in its batch read (with the switch and its own cursor). */
  get cursorIds(): readonly string[] {
    return this.stages.map((stage) => stage.cursorId);
  }

  /**
   * Reads the followed stages' cursors through `store` (the run's batch read answers them) when a
   * full run started at `startedAt` from watcher cursor `from`. A missing cursor is at `origin`; one
   * that does not parse leaves its stage on the periodic looks (its collector reports it, the
   * watcher goes on).
   */
  async readCursors(store: StateStore, from: bigint, startedAt: number, origin: bigint): Promise<void> {
    this.run = { from, startedAt };
    for (const stage of this.stages) {
      const item = await store.get(stage.cursorId);
      const parsed = item === undefined ? undefined : stageCursorSchema.safeParse(item.data);
      if (parsed?.success === false) this.grouped.delete(stage.name);
      else this.grouped.set(stage.name, parsed === undefined ? origin : BigInt(parsed.data.position));
    }
  }

  /** After a clean full run that left the watcher cursor at `enqueuedHead` (see `readCursors`). */
  ranClean(enqueuedHead: bigint): void {
    const run = this.run;
    this.run = undefined;
    if (run === undefined) return;
    if (this.unknownThrough === undefined || run.from !== this.enqueuedHead) {
      // A first run, or another run moved the watcher cursor: who sent what, and when, is not known.
      this.unknownThrough = enqueuedHead;
      this.sends = [];
    } else if (enqueuedHead > run.from) {
      this.sends.push({ through: enqueuedHead, at: run.startedAt });
    }
    this.enqueuedHead = enqueuedHead;
    const lowest = this.stages.reduce<bigint | undefined>((low, stage) => {
      const position = this.grouped.get(stage.name);
      return position === undefined || (low !== undefined && low < position) ? low : position;
    }, undefined);
    if (lowest !== undefined) this.sends = this.sends.filter((send) => send.through > lowest);
  }

  /** After a paused, reorged, raced or failed run: every block counts as overdue again. */
  forget(): void {
    this.unknownThrough = undefined;
    this.sends = [];
    this.enqueuedHead = undefined;
    this.run = undefined;
  }

  /**
   * For `runScheduledCollectors`: false when no partial range of `stage` can be due at `now` (the
   * tick does not look at it), true when one can; undefined for a stage this container does not follow.
   */
  readonly canBeDue: PartialGroupsDue = (stage: StageConfig, now: number) => {
    const followed = this.stages.find((candidate) => candidate.name === stage.name);
    if (followed === undefined) return undefined;
    const position = this.grouped.get(stage.name);
    if (this.unknownThrough === undefined || position === undefined || this.unknownThrough > position)
      return true;
    const oldest = this.sends.find((send) => send.through > position);
    return oldest !== undefined && now - oldest.at >= followed.dueAfterMs;
  };
}
