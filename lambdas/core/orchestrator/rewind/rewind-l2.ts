import { type PauseTarget, setPause } from '../../control/pause-switch.js';
import type { StoredItem } from '../../ports/state-store.js';
import { METRIC } from '../../ports/telemetry.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { type CanonicalHash, findCommonAncestor } from './find-common-ancestor.js';
import { invalidateMessagesAbove } from './invalidate-messages.js';
import { proposedHead } from './proposed-head.js';
import { type L2Rewind, readRewindIntent, writeRewindIntent } from './rewind-intent.js';
import { rewindStage } from './rewind-stage.js';
import { parseWatcherCursor, WATCHER_CURSOR_ID, watcherCursorItem } from './watcher-cursor.js';

/** What an L2 rewind needs: the watcher's dependencies (no blobs, no jobs). */
export type RewindDeps = Pick<OrchestratorDeps, 'config' | 'store' | 'clock' | 'logger' | 'metrics'>;

/** What the pipeline did about a parent-hash mismatch. */
export type RewindOutcome =
  | { readonly kind: 'rewound'; readonly ancestor: bigint; readonly depth: bigint }
  | { readonly kind: 'halted'; readonly reason: string };

const L2 = { chain: 'l2' } as const;
const WATCHER: PauseTarget = { kind: 'watcher' };
const PROPOSER: PauseTarget = { kind: 'proposer' };

/**
 * Handles a parent-hash mismatch the watcher saw above its cursor. With `finality: finalized` a
 * finalized block changed: the node is broken, nothing is rewound, the watcher pauses itself
 * (`pause/watcher`, setter `pipeline`, until a person resumes it). With `safe`:
 * finds the common ancestor (`findCommonAncestor`); below the proposed head (the proposed root is
 * wrong, or the node is) or deeper than `watcher.maxReorgDepth` it pauses the proposer
 * (`pause/proposer`, setter `pipeline`) and rewinds nothing; otherwise it records the rewind
 * (`rewind/l2`) and runs it (`finishL2Rewind`). Halts set `ReorgHalted{chain: l2}` to 1.
 */
export async function rewindL2(deps: RewindDeps, canonicalHash: CanonicalHash): Promise<RewindOutcome> {
  if (deps.config.chains.l2.finality === 'finalized') {
    return halt(
      deps,
      'l2-finalized-block-changed: a finalized L2 block has a different hash now; the L2 node is broken (finalized blocks never reorg). Nothing is rewound; check or replace the node, then resume the watcher',
      WATCHER,
    );
  }
  const pending = await readRewindIntent(deps.store);
  if (pending !== undefined) {
    const done = await finishL2Rewind(deps);
    return { kind: 'rewound', ancestor: done?.ancestor ?? pending.rewind.ancestor, depth: 0n };
  }
  const cursorItem = await deps.store.get(WATCHER_CURSOR_ID);
  if (cursorItem === undefined)
    return halt(deps, 'l2-reorg-without-cursor: the watcher cursor is missing', WATCHER);
  const cursor = parseWatcherCursor(cursorItem);
  const search = await findCommonAncestor(deps, cursor, canonicalHash);
  if (!search.found) {
    return halt(
      deps,
      `l2-reorg-deeper-than-max: no block from ${cursor.position} down to ${search.lowest} (watcher.maxReorgDepth ${deps.config.watcher.maxReorgDepth}) matches the canonical L2; the rewind needs a person`,
      PROPOSER,
    );
  }
  const proposed = await proposedHead(deps.store);
  if (proposed !== undefined && search.ancestor < proposed) {
    return halt(
      deps,
      `l2-reorg-below-proposed: the common ancestor ${search.ancestor} is below the proposed head ${proposed}; the proposed output root is wrong or the L2 node is`,
      PROPOSER,
    );
  }
  const depth = cursor.position - search.ancestor;
  deps.metrics.gauge(METRIC.reorgDepthBlocks, Number(depth), L2);
  const rewind: L2Rewind = {
    ancestor: search.ancestor,
    ancestorHash: search.hash,
    generation: cursor.rewinds + 1,
    from: cursor.position,
  };
  deps.logger.warn('L2 reorg: rewinding to the common ancestor', {
    ancestor: rewind.ancestor.toString(),
    cursor: cursor.position.toString(),
    depth: depth.toString(),
  });
  await writeRewindIntent(deps.store, rewind);
  await finishL2Rewind(deps);
  return { kind: 'rewound', ancestor: rewind.ancestor, depth };
}

/**
 * Runs the recorded rewind (`rewind/l2`) to its end; a no-op without one. Steps, each idempotent,
 * so a crash anywhere is finished by the next watcher run: (1) invalidate the messages above the
 * ancestor, (2–4) per stage invalidate the groups, move the cursor back, release the kept members,
 * (5) move the watcher cursor to the ancestor with the next generation, last, (6) delete the intent.
 * @returns the rewind finished, or undefined when none was recorded.
 */
export async function finishL2Rewind(deps: RewindDeps): Promise<L2Rewind | undefined> {
  const intent = await readRewindIntent(deps.store);
  if (intent === undefined) return undefined;
  const { rewind } = intent;
  const floor = (await proposedHead(deps.store)) ?? BigInt(deps.config.chains.l2.startBlock);
  await invalidateMessagesAbove(deps, rewind, floor);
  for (const stage of deps.config.stages) await rewindStage(deps, stage, rewind, floor);
  await moveWatcherCursor(deps, rewind);
  await deps.store.delete(intent.item.id, intent.item.version);
  deps.logger.warn('L2 rewind finished: the canonical blocks above the ancestor are enqueued again', {
    ancestor: rewind.ancestor.toString(),
    generation: rewind.generation,
  });
  return rewind;
}

/** Step 5: the watcher cursor to the ancestor (once: a cursor of this generation or later is left alone). */
async function moveWatcherCursor(deps: RewindDeps, rewind: L2Rewind): Promise<void> {
  for (;;) {
    const item: StoredItem | undefined = await deps.store.get(WATCHER_CURSOR_ID);
    const next = watcherCursorItem(rewind.ancestor, rewind.ancestorHash, rewind.generation);
    if (item === undefined) {
      if (await deps.store.create(next)) return;
      continue;
    }
    if (parseWatcherCursor(item).rewinds >= rewind.generation) return;
    if (await deps.store.replace(next, item.version)) return;
  }
}

/**
 * Halts with a stored reason a person reads in `status`: the proposer paused (proposals would build
 * on a wrong root) or the watcher paused (the node serves changed finalized blocks); either way
 * `ReorgHalted` is 1 and `ops resume <target>` is the way on once a person has looked.
 */
async function halt(deps: RewindDeps, reason: string, target: PauseTarget): Promise<RewindOutcome> {
  deps.metrics.gauge(METRIC.reorgHalted, 1, L2);
  deps.logger.error(`L2 reorg halted: ${reason}`, { reason, paused: target.kind });
  await setPause(deps.store, target, { reason, by: 'watcher', setter: 'pipeline', at: deps.clock.now() });
  return { kind: 'halted', reason };
}
