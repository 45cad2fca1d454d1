import { z } from 'zod';
import { blockDataKey } from '../core/messages/blob-keys.js';
import type { Envelope } from '../core/messages/envelope.js';
import { blockKey, cursorId } from '../core/messages/ids.js';
import { makeEnvelope } from '../core/messages/make-envelope.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { StoredItem } from '../core/ports/state-store.js';
import { METRIC } from '../core/ports/telemetry.js';
import { parseItemData } from '../core/schema/parse-item-data.js';
import { bytes32Hex, decimalString } from '../core/schema/primitives.js';
import type { L2Block, L2BlockSource } from './l2-block-source.js';

/** The watcher's durable cursor: the last block it enqueued, with its hash for the parent check. */
export const WATCHER_CURSOR_ID = cursorId('watcher');

const watcherCursorSchema = z.object({ position: decimalString, hash: bytes32Hex.optional() });

export type WatcherDeps = Pick<
  OrchestratorDeps,
  'config' | 'store' | 'bus' | 'blobs' | 'clock' | 'logger' | 'metrics'
> & {
  readonly source: L2BlockSource;
};

export interface WatchOutcome {
  /** The L2 head at the configured finality. */
  readonly head: bigint;
  /** Last enqueued block number after this run (the cursor). */
  readonly enqueuedHead: bigint;
  readonly enqueued: number;
  /** Set when a block's parent hash differed from what was enqueued: nothing past it was enqueued. */
  readonly reorgAt?: bigint;
  /** Set when another watcher run moved the cursor first; this run's messages were duplicates. */
  readonly lostCursorRace?: boolean;
}

interface Cursor {
  readonly item: StoredItem;
  readonly position: bigint;
  readonly hash: string;
}

/**
 * One watcher run: reads the L2 head at the configured finality and enqueues each block after the
 * cursor, at most `maxBlocksPerRun`, on the watcher's topic (`blocks/<n>`, payload
 * `{ number, hash, parentHash }`), after staging its header JSON at `blocks/<n>.json`. Each block's
 * parent hash must equal the hash enqueued before it; on a mismatch the run stops there, enqueues
 * nothing past it and reports the reorg. The cursor advances last, with a conditional write, so a
 * crash repeats the same deterministic messages (recorded once) and two runs never both advance.
 */
export async function watchL2Blocks(deps: WatcherDeps): Promise<WatchOutcome> {
  const { config, source, logger, metrics } = deps;
  const head = await source.head(config.chains.l2.finality);
  metrics.gauge(METRIC.l2Head, Number(head.number));
  const cursor = await readCursor(deps);
  const last = minBigInt(head.number, cursor.position + BigInt(config.watcher.maxBlocksPerRun));

  const envelopes: Envelope[] = [];
  let previous: { number: bigint; hash: string } = { number: cursor.position, hash: cursor.hash };
  let reorgAt: bigint | undefined;
  for (let n = cursor.position + 1n; n <= last; n++) {
    const block = await source.block(n);
    if (block.parentHash.toLowerCase() !== previous.hash.toLowerCase()) {
      reorgAt = n;
      metrics.count(METRIC.reorgsDetected);
      logger.error('L2 reorg detected: block parent differs from the enqueued block; not enqueuing past it', {
        block: n.toString(),
        parentHash: block.parentHash,
        enqueuedNumber: previous.number.toString(),
        enqueuedHash: previous.hash,
      });
      break;
    }
    await deps.blobs.putJson(blockDataKey(n), block.header);
    envelopes.push(
      makeEnvelope(config.watcher.outputTopic, blockKey(n), blockPayload(block), deps.clock.now()),
    );
    previous = { number: n, hash: block.hash };
  }

  let lostCursorRace = false;
  if (envelopes.length > 0) {
    await deps.bus.publish(envelopes);
    const advanced = await deps.store.replace(
      cursorItem(previous.number, previous.hash),
      cursor.item.version,
    );
    lostCursorRace = !advanced;
    if (lostCursorRace) logger.warn('watcher cursor moved by another run; this run only repeated messages');
    else metrics.count(METRIC.blocksEnqueued, envelopes.length);
  }
  const enqueuedHead = lostCursorRace ? cursor.position : previous.number;
  metrics.gauge(METRIC.enqueuedHead, Number(enqueuedHead));
  logger.info('watcher run', {
    head: head.number.toString(),
    enqueuedHead: enqueuedHead.toString(),
    enqueued: lostCursorRace ? 0 : envelopes.length,
  });
  return {
    head: head.number,
    enqueuedHead,
    enqueued: lostCursorRace ? 0 : envelopes.length,
    ...(reorgAt === undefined ? {} : { reorgAt }),
    ...(lostCursorRace ? { lostCursorRace } : {}),
  };
}

/** The cursor, created at the config's `startBlock` (with that block's hash) on the first run. */
async function readCursor(deps: WatcherDeps): Promise<Cursor> {
  for (;;) {
    const item = await deps.store.get(WATCHER_CURSOR_ID);
    if (item !== undefined) {
      const data = parseItemData(watcherCursorSchema, item.data, 'watcher cursor', item.id);
      const position = BigInt(data.position);
      const hash = data.hash ?? (await deps.source.block(position)).hash;
      return { item, position, hash };
    }
    const start = BigInt(deps.config.chains.l2.startBlock);
    const startBlock = await deps.source.block(start);
    await deps.store.create(cursorItem(start, startBlock.hash));
  }
}

function cursorItem(position: bigint, hash: string) {
  return {
    id: WATCHER_CURSOR_ID,
    kind: 'cursor',
    status: 'active',
    sortKey: 'watcher',
    data: { position: position.toString(10), hash },
  };
}

function blockPayload(block: L2Block): { number: string; hash: string; parentHash: string } {
  return { number: block.number.toString(10), hash: block.hash, parentHash: block.parentHash };
}

function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
