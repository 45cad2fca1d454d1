import * as z from 'zod';
import type { AdaptiveSizeConfig } from '../../config/adaptive-size-schema.js';
import { PipelineError } from '../../errors.js';
import type { StateStore } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';
import { ProvingPace, secondsPerBlock } from '../hedge/proving-pace.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { epochOfRange } from './range-cut.js';

const rangeSizeDataSchema = z.object({
  sizeName: z.string(),
  epochStart: decimalString,
  /** Blocks per range in the epoch, as decided (clamped again to the bounds on every read). */
  blocks: z.number().int().min(1),
  /** What it was decided from: seconds per block observed then (none before any job), and how many jobs. */
  secondsPerBlock: z.number().min(0).optional(),
  samples: z.number().int().min(0),
  decidedAt: z.string(),
});

/** The id of one epoch's decided range size, e.g. `range-size/range/1800`: the epoch's first range start. */
export function rangeSizeId(sizeName: string, epochStart: bigint): string {
  return `range-size/${sizeName}/${epochStart.toString(10)}`;
}

/**
 * The range size an epoch gets for an observed pace: `targetSeconds` ÷ seconds per block, rounded
 * down and clamped to [`minBlocks`, `maxBlocks`]; `initialBlocks` (default `minBlocks`) before any
 * job was observed, `maxBlocks` for jobs that took no time. Seconds per block include each job's
 * fixed overhead, so repeating this over epochs settles where a job takes `targetSeconds`.
 * @example sizeForPace({ targetSeconds: 600, minBlocks: 10, maxBlocks: 300, … }, 4) // 150
 */
export function sizeForPace(settings: AdaptiveSizeConfig, perBlock: number | undefined): number {
  if (perBlock === undefined) return clamp(settings, settings.initialBlocks ?? settings.minBlocks);
  if (perBlock <= 0) return settings.maxBlocks;
  return clamp(settings, Math.floor(settings.targetSeconds / perBlock));
}

function clamp(settings: AdaptiveSizeConfig, blocks: number): number {
  return Math.min(settings.maxBlocks, Math.max(settings.minBlocks, blocks));
}

/**
 * Decided sizes by store: an epoch's size never changes once stored, so a process reads it once.
 * Keyed by the store object so that two pipelines in one process (tests, the planner) never share.
 */
const decidedSizes = new WeakMap<StateStore, Map<string, number>>();

/**
 * The most blocks a range starting at `position` may hold under adaptive sizing: its epoch's
 * stored size, or the epoch's blocks left if fewer (an epoch boundary always closes a range).
 *
 * The first collector to need an epoch's size decides it from the pace observed then and stores it
 * with a conditional create (`range-size/<sizeName>/<epoch start>`); every other collector, stage
 * and re-cut after a rewind reads that item and never decides again, so the same blocks always give
 * the same ranges. A lost create is read back. Never delete these items: a deleted epoch's size
 * would be decided again, from a newer pace.
 */
export async function adaptiveRangeBlocks(
  deps: OrchestratorDeps,
  settings: AdaptiveSizeConfig,
  position: bigint,
): Promise<number> {
  const { epochStart, blocksLeft } = epochOfRange(position, deps.origin, settings.epochBlocks);
  return Math.min(blocksLeft, clamp(settings, await epochSize(deps, settings, epochStart)));
}

async function epochSize(
  deps: OrchestratorDeps,
  settings: AdaptiveSizeConfig,
  epochStart: bigint,
): Promise<number> {
  const id = rangeSizeId(settings.sizeName, epochStart);
  const known = decidedSizes.get(deps.store)?.get(id);
  if (known !== undefined) return known;
  let blocks = await readEpochSize(deps.store, id);
  if (blocks === undefined) {
    const { samples } = await new ProvingPace(deps.store, settings.sizeName).read();
    const perBlock = secondsPerBlock(samples);
    const decided = {
      sizeName: settings.sizeName,
      epochStart: epochStart.toString(10),
      blocks: sizeForPace(settings, perBlock),
      ...(perBlock === undefined ? {} : { secondsPerBlock: perBlock }),
      samples: samples.length,
      decidedAt: deps.clock.now().toISOString(),
    };
    const item = { id, kind: 'range-size', status: 'decided', sortKey: id, data: decided };
    if (await deps.store.create(item)) {
      deps.logger.info('range size decided', { ...decided });
      blocks = decided.blocks;
    } else {
      blocks = await readEpochSize(deps.store, id);
      if (blocks === undefined)
        throw new PipelineError(
          `range size ${id}: the create was refused but the item is not there, expected it kept forever (was it deleted?)`,
        );
    }
  }
  const sizes = decidedSizes.get(deps.store) ?? new Map<string, number>();
  decidedSizes.set(deps.store, sizes.set(id, blocks));
  return blocks;
}

async function readEpochSize(store: StateStore, id: string): Promise<number | undefined> {
  const item = await store.get(id);
  return item === undefined
    ? undefined
    : parseItemData(rangeSizeDataSchema, item.data, 'range size item', id).blocks;
}
