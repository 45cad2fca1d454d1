import type { Context, ScheduledEvent } from 'aws-lambda';
import { runScheduledCollectors } from '../core/orchestrator/scheduled-collectors.js';
import { BlockHold } from '../watcher/block-hold.js';
import { viemL2BlockSource } from '../watcher/l2-block-source.js';
import { PartialRanges } from '../watcher/partial-ranges.js';
import { RpcRateLimiter } from '../watcher/rpc-rate-limiter.js';
import { watchL2Blocks } from '../watcher/watch-l2-blocks.js';
import { wrapLambdaHandler } from './lambda-middleware.js';
import { coldStartWatcherRuntime, type WatcherRuntime } from './watcher-root.js';

export interface WatcherResult {
  /** Absent while the watcher is paused. */
  readonly head?: string;
  readonly enqueuedHead?: string;
  /** Set while `pause/watcher` holds the watcher back: the switch's reason (the collectors still run). */
  readonly paused?: string;
  readonly enqueued: number;
  readonly reorgAt?: string;
  /** Set when the run stopped reading blocks at its deadline (slow RPC); the next run continues. */
  readonly stoppedAtDeadline?: boolean;
  /** Groups the collectors handed to executors in this run (max-wait flushes among them). */
  readonly groups: number;
  /** New blocks held back for a fuller batch on a later tick (`BlockHold`); absent when none. */
  readonly held?: number;
}

export interface WatcherHandlerOptions {
  /**
   * Hold new blocks back between ticks that come faster than the chain fills a group (`BlockHold`).
   * @default true
   */
  readonly holdBlocks?: boolean;
}

/** Share of the invocation's remaining time kept for the collectors and sweeps after the block reads. */
const COLLECTOR_SHARE = 0.25;

/**
 * The watcher handler (EventBridge schedule): enqueues new L2 blocks (see `watchL2Blocks`), then
 * runs the collectors so partial groups past their max wait are flushed even when no message
 * arrives (`runScheduledCollectors`: stages that flush on time on every tick, the others with their
 * sweeps). The RPC rate limiter, the block hold (`BlockHold`: on ticks faster than the chain
 * fills a group, blocks are sent a group at a time and a tick with nothing to send skips the
 * store) and what the container knows of the partial ranges its blocks can leave (`PartialRanges`:
 * a range stage is looked at for a max-wait flush only when one can be due) live as long as the
 * container, so back-to-back runs share them.
 *
 * Block reads stop at a deadline: the remaining time minus a quarter of it (collectors, sweeps)
 * and one L2 RPC timeout (the read in flight when the deadline passes).
 */
export function createWatcherHandler(runtime: () => WatcherRuntime, options: WatcherHandlerOptions = {}) {
  let limiter: RpcRateLimiter | undefined;
  let hold: BlockHold | undefined;
  let partialRanges: PartialRanges | undefined;
  return wrapLambdaHandler(async (_event: ScheduledEvent, context: Context): Promise<WatcherResult> => {
    const { config, clock } = runtime();
    const remainingMs = context.getRemainingTimeInMillis();
    const deadline =
      clock.now().getTime() + remainingMs * (1 - COLLECTOR_SHARE) - config.chains.l2.rpcTimeoutMs;
    const deps = runtime().orchestrator();
    limiter ??= new RpcRateLimiter(config.watcher.rpcRequestsPerSecond);
    const source = viemL2BlockSource(await runtime().publicClient('l2'), limiter);
    if (options.holdBlocks !== false) hold ??= new BlockHold(config);
    partialRanges ??= new PartialRanges(config);
    const watched = await watchL2Blocks({
      ...deps,
      source,
      deadline,
      partialRanges,
      ...(hold === undefined ? {} : { hold }),
    });
    const collected = await runScheduledCollectors(deps, partialRanges.canBeDue);
    if (watched.paused !== undefined)
      return { paused: watched.paused.reason, enqueued: 0, groups: collected.groups.length };
    return {
      head: watched.head.toString(10),
      enqueuedHead: watched.enqueuedHead.toString(10),
      enqueued: watched.enqueued,
      ...(watched.reorgAt === undefined ? {} : { reorgAt: watched.reorgAt.toString(10) }),
      ...(watched.stoppedAtDeadline === true ? { stoppedAtDeadline: true } : {}),
      ...(watched.held === undefined ? {} : { held: watched.held }),
      groups: collected.groups.length,
    };
  });
}

export const handler = createWatcherHandler(coldStartWatcherRuntime);
