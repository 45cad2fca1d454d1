import { honourPause } from '../core/control/honour-pause.js';
import { type PauseState, pauseId } from '../core/control/pause-switch.js';
import type { BlockPayload } from '../core/messages/block-payload.js';
import type { Envelope } from '../core/messages/envelope.js';
import { blockKey } from '../core/messages/ids.js';
import { makeEnvelope } from '../core/messages/make-envelope.js';
import { L2_REWIND_ID } from '../core/orchestrator/rewind/rewind-intent.js';
import { finishL2Rewind, type RewindOutcome, rewindL2 } from '../core/orchestrator/rewind/rewind-l2.js';
import {
  parseWatcherCursor,
  WATCHER_CURSOR_ID,
  watcherCursorItem,
} from '../core/orchestrator/rewind/watcher-cursor.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import { RunReads } from '../core/orchestrator/setup/run-reads.js';
import type { StoredItem } from '../core/ports/state-store.js';
import { METRIC } from '../core/ports/telemetry.js';
import type { BlockHold } from './block-hold.js';
import type { L2Block, L2BlockSource } from './l2-block-source.js';
import type { PartialRanges } from './partial-ranges.js';

export { WATCHER_CURSOR_ID };

/** Blocks enqueued between two cursor writes: a run that dies keeps every chunk before. */
export const CURSOR_CHUNK_BLOCKS = 25;

export type WatcherDeps = Pick<
  OrchestratorDeps,
  'config' | 'store' | 'bus' | 'clock' | 'logger' | 'metrics'
> & {
  readonly source: L2BlockSource;
  /**
   * Epoch milliseconds after which no further block is read: the run enqueues what it has read,
   * advances the cursor and returns, so a slow RPC still makes progress within the Lambda timeout.
   * @default no deadline
   */
  readonly deadline?: number;
  /**
   * What this container remembers between its ticks, to send blocks in fuller batches (`BlockHold`).
   * @default none: every new block is enqueued on the run that first sees it
   */
  readonly hold?: BlockHold;
  /** What this container knows of the partial ranges its blocks can leave. @default none */
  readonly partialRanges?: PartialRanges;
};

/** What a run did: the blocks it enqueued, or nothing because `pause/watcher` is set. */
export type WatchOutcome = WatchedBlocks | WatcherPaused;

/** A paused run: it read no block and enqueued nothing; the switch says why, who and since when. */
export interface WatcherPaused {
  readonly paused: PauseState;
  readonly enqueued: 0;
}

/** A run that followed the L2 head. */
export interface WatchedBlocks {
  readonly paused?: undefined;
  /** The L2 head at the configured finality. */
  readonly head: bigint;
  /** Last enqueued block number after this run (the cursor). */
  readonly enqueuedHead: bigint;
  readonly enqueued: number;
  /** Set when a block's parent hash differed from what was enqueued: nothing past it was enqueued. */
  readonly reorgAt?: bigint;
  /** What the pipeline did about that reorg: rewound to the common ancestor, or halted (and why). */
  readonly rewind?: RewindOutcome;
  /** Set when another watcher run moved the cursor first; this run's last chunk was duplicates. */
  readonly lostCursorRace?: boolean;
  /** Set when the run stopped at its deadline before reaching `min(head, cursor + maxBlocksPerRun)`. */
  readonly stoppedAtDeadline?: boolean;
  /** New blocks after `enqueuedHead` that `BlockHold` kept for a later tick (none when absent). */
  readonly held?: number;
  /** Set when the tick made no store call: `BlockHold` held its new blocks, or it found none. */
  readonly skippedStore?: boolean;
}

interface Cursor {
  readonly item: StoredItem;
  readonly position: bigint;
  readonly hash: string;
  /** L2 rewinds so far: the `attempt` of each block message (see `WatcherCursor.rewinds`). */
  readonly rewinds: number;
}

/**
 * One watcher run: reads the L2 head at the configured finality and enqueues each block after the
 * cursor, at most `maxBlocksPerRun`, on the watcher's topic (`blocks/<n>`, a `BlockPayload`
 * `{ number, hash, parentHash, gasUsed }`). Each block's parent hash must equal the hash enqueued
 * before it; on a mismatch the run stops there, enqueues nothing past it and reports the reorg. Blocks are
 * published and the cursor advanced (a conditional write) every `CURSOR_CHUNK_BLOCKS` blocks and
 * when the deadline passes, so a crash or a timeout repeats at most one chunk's deterministic
 * messages (recorded once), and two runs never both advance.
 *
 * On a mismatch the unsaved chunk is dropped and `rewindL2` decides: with `finality: safe` it
 * rewinds to the common ancestor (the next run enqueues the canonical blocks again), else it halts.
 * A run first finishes a rewind a crashed run left recorded (`finishL2Rewind`).
 * While `pause/watcher` is set (`npm run ops -- pause watcher`) the run reads nothing from L2 and
 * enqueues nothing; it returns the switch (`honourPause` logs it at warn and sets `Paused`).
 *
 * Store calls: the switch, a rewind intent, the cursor (and the stage cursors `partialRanges` follows)
 * in ONE batch read (`RunReads`); a run that finds no new block makes no other call and writes
 * nothing; one that does adds a cursor write per chunk. With a `hold` (the watcher handler's), a
 * tick that would enqueue nothing soon after a clean run makes no store call, and blocks are sent a
 * group at a time (`BlockHold`).
 */
export async function watchL2Blocks(watcherDeps: WatcherDeps): Promise<WatchOutcome> {
  const { hold, config, clock } = watcherDeps;
  const startedAt = clock.now().getTime();
  if (hold === undefined || !hold.armed(startedAt))
    return remembered(watcherDeps, startedAt, () => watchInFull(watcherDeps, startedAt));
  const head = await watcherDeps.source.head(config.chains.l2.finality);
  const heldCursor = hold.heldCursor(head.number, startedAt);
  if (heldCursor !== undefined) return skippedTick(watcherDeps, head.number, heldCursor);
  return remembered(watcherDeps, startedAt, () => watchInFull(watcherDeps, startedAt, head));
}

/**
 * Runs `run` and tells the container's memories (`BlockHold`, `PartialRanges`) of it: a clean run
 * is kept; a paused, reorged or raced run, or one that failed, makes the next tick start afresh.
 */
async function remembered(
  deps: WatcherDeps,
  startedAt: number,
  run: () => Promise<WatchOutcome>,
): Promise<WatchOutcome> {
  const forget = () => {
    deps.hold?.forget();
    deps.partialRanges?.forget();
  };
  const outcome = await run().catch((error: unknown) => {
    forget();
    throw error;
  });
  if (outcome.paused !== undefined || outcome.reorgAt !== undefined || outcome.lostCursorRace === true) {
    forget();
    return outcome;
  }
  deps.hold?.ranClean(outcome.enqueuedHead, startedAt, outcome.enqueued === 0 && (outcome.held ?? 0) > 0);
  deps.partialRanges?.ranClean(outcome.enqueuedHead);
  return outcome;
}

/** A tick that holds its new blocks (or found none) on a clean run's cursor: no store call, no write. */
function skippedTick(deps: WatcherDeps, head: bigint, cursor: bigint): WatchedBlocks {
  deps.metrics.gauge(METRIC.l2Head, Number(head));
  deps.metrics.gauge(METRIC.enqueuedHead, Number(cursor));
  deps.metrics.gauge(METRIC.reorgHalted, 0, { chain: 'l2' });
  const held = head > cursor ? Number(head - cursor) : 0;
  deps.logger.debug('watcher tick held its new blocks', { head: head.toString(), held });
  return { head, enqueuedHead: cursor, enqueued: 0, ...(held > 0 ? { held } : {}), skippedStore: true };
}

/** A run that reads the store: `l2Head` is the head a held tick already read, else read after the switch. */
async function watchInFull(
  watcherDeps: WatcherDeps,
  startedAt: number,
  l2Head?: L2Block,
): Promise<WatchOutcome> {
  // The pause switch, a rewind intent, the cursor and the followed stage cursors: one batch read.
  const store = new RunReads(watcherDeps.store, [
    pauseId({ kind: 'watcher' }),
    L2_REWIND_ID,
    WATCHER_CURSOR_ID,
    ...(watcherDeps.partialRanges?.cursorIds ?? []),
  ]);
  const deps = { ...watcherDeps, store };
  const { config, source, logger, metrics } = deps;
  const paused = await honourPause(deps, { kind: 'watcher' });
  if (paused !== undefined) return { paused, enqueued: 0 };
  const deadline = deps.deadline ?? Number.POSITIVE_INFINITY;
  const head = l2Head ?? (await source.head(config.chains.l2.finality));
  metrics.gauge(METRIC.l2Head, Number(head.number));
  await finishL2Rewind(deps);
  const cursor = await readCursor(deps);
  const origin = BigInt(config.chains.l2.startBlock);
  await deps.partialRanges?.readCursors(store, cursor.position, startedAt, origin);
  const cap = cursor.position + BigInt(config.watcher.maxBlocksPerRun);
  const reach = minBigInt(head.number, cap);
  const last = deps.hold?.enqueueThrough(cursor.position, reach, startedAt, head.number > cap) ?? reach;

  let saved = { position: cursor.position, hash: cursor.hash, version: cursor.item.version };
  let chunk: Envelope[] = [];
  let previous: { number: bigint; hash: string } = { number: cursor.position, hash: cursor.hash };
  let enqueued = 0;
  let reorgAt: bigint | undefined;
  let lostCursorRace = false;
  let stoppedAtDeadline = false;
  /** Publishes the chunk and moves the cursor past it; false when another run moved it first. */
  const saveChunk = async (): Promise<boolean> => {
    if (chunk.length === 0) return true;
    await deps.bus.publish(chunk);
    const advanced = await deps.store.replace(
      watcherCursorItem(previous.number, previous.hash, cursor.rewinds),
      saved.version,
    );
    if (!advanced) return false;
    saved = { position: previous.number, hash: previous.hash, version: saved.version + 1 };
    metrics.count(METRIC.blocksEnqueued, chunk.length);
    enqueued += chunk.length;
    chunk = [];
    return true;
  };

  for (let n = cursor.position + 1n; n <= last; n++) {
    if (deps.clock.now().getTime() >= deadline) {
      stoppedAtDeadline = true;
      break;
    }
    const block = await source.block(n);
    if (block.parentHash.toLowerCase() !== previous.hash.toLowerCase()) {
      reorgAt = n;
      metrics.count(METRIC.reorgsDetected, 1, { chain: 'l2' });
      logger.error('L2 reorg detected: block parent differs from the enqueued block', {
        block: n.toString(),
        parentHash: block.parentHash,
        enqueuedNumber: previous.number.toString(),
        enqueuedHash: previous.hash,
      });
      break;
    }
    chunk.push(
      makeEnvelope(
        config.watcher.outputTopic,
        blockKey(n),
        blockPayload(block),
        deps.clock.now(),
        cursor.rewinds,
      ),
    );
    previous = { number: n, hash: block.hash };
    if (chunk.length >= CURSOR_CHUNK_BLOCKS && !(await saveChunk())) {
      lostCursorRace = true;
      break;
    }
  }
  // After a mismatch the unsaved chunk is of the old branch: dropped, the rewind decides from the cursor.
  if (reorgAt === undefined && !lostCursorRace && !(await saveChunk())) lostCursorRace = true;
  const rewind =
    reorgAt === undefined ? undefined : await rewindL2(deps, async (n) => (await source.block(n)).hash);
  if (lostCursorRace) logger.warn('watcher cursor moved by another run; this run only repeated messages');
  if (stoppedAtDeadline) {
    logger.warn('watcher stopped at its deadline; the next run continues from the cursor', {
      enqueuedHead: saved.position.toString(),
      target: last.toString(),
    });
  }

  metrics.gauge(METRIC.enqueuedHead, Number(saved.position));
  // 1 only while each run halts on the reorg again (`rewindL2`); any other run clears it.
  if (rewind?.kind !== 'halted') metrics.gauge(METRIC.reorgHalted, 0, { chain: 'l2' });
  logger.info('watcher run', {
    head: head.number.toString(),
    enqueuedHead: saved.position.toString(),
    enqueued,
  });
  return {
    head: head.number,
    enqueuedHead: saved.position,
    enqueued,
    ...(reorgAt === undefined ? {} : { reorgAt }),
    ...(rewind === undefined ? {} : { rewind }),
    ...(lostCursorRace ? { lostCursorRace } : {}),
    ...(stoppedAtDeadline ? { stoppedAtDeadline } : {}),
    ...(last < reach ? { held: Number(reach - last) } : {}),
  };
}

/** The cursor, created at the config's `startBlock` (with that block's hash) on the first run. */
async function readCursor(deps: WatcherDeps): Promise<Cursor> {
  for (;;) {
    const item = await deps.store.get(WATCHER_CURSOR_ID);
    if (item !== undefined) {
      const { position, hash, rewinds } = parseWatcherCursor(item);
      return { item, position, hash: hash ?? (await deps.source.block(position)).hash, rewinds };
    }
    const start = BigInt(deps.config.chains.l2.startBlock);
    const startBlock = await deps.source.block(start);
    await deps.store.create(watcherCursorItem(start, startBlock.hash));
  }
}

function blockPayload(block: L2Block): BlockPayload {
  return {
    number: block.number.toString(10),
    hash: block.hash,
    parentHash: block.parentHash,
    gasUsed: block.gasUsed.toString(10),
  };
}

function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
