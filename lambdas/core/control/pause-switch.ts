import * as z from 'zod';
import { InvalidInputError } from '../errors.js';
import type { StateStore, StoredItem } from '../ports/state-store.js';
import { parseItemData } from '../schema/parse-item-data.js';

/**
 * What a pause switch holds back: the watcher (no block is enqueued), the proposer (no checkpoint
 * and no proposal is sent), or one stage (no new job of the stage is submitted; groups wait where
 * they are). Paused work waits; nothing is dropped.
 */
export type PauseTarget =
  | { readonly kind: 'watcher' }
  | { readonly kind: 'proposer' }
  | { readonly kind: 'stage'; readonly stage: string };

/** Who set a switch: a person through the operator CLI, or the pipeline itself (e.g. a deep L2 reorg). */
export type PauseSetter = 'operator' | 'pipeline';

const pauseDataSchema = z.object({
  target: z.string().min(1),
  reason: z.string().min(1),
  by: z.string().min(1),
  setter: z.enum(['operator', 'pipeline']),
  since: z.string().min(1),
});

/** A set switch, as read from the store. */
export type PauseState = z.output<typeof pauseDataSchema> & { readonly itemId: string };

/** Item kind of every pause switch; status `paused` while set (a resumed switch is deleted). */
export const PAUSE_KIND = 'pause';

/** `watcher`, `proposer` or `stage:<name>`: the target as the CLI and the item name it. */
export function pauseTargetName(target: PauseTarget): string {
  return target.kind === 'stage' ? `stage:${target.stage}` : target.kind;
}

/**
 * The target a person typed: `watcher`, `proposer`, or a stage name (`stage:<name>` or the bare name
 * when `stages` lists it).
 * @throws InvalidInputError naming the text and the allowed targets.
 */
export function parsePauseTarget(text: string, stages: readonly string[]): PauseTarget {
  if (text === 'watcher' || text === 'proposer') return { kind: text };
  const stage = text.startsWith('stage:') ? text.slice('stage:'.length) : text;
  if (stages.includes(stage)) return { kind: 'stage', stage };
  throw new InvalidInputError('pause target', [
    `"${text}" is not a pause target: use watcher, proposer or a stage (${stages.join(', ') || 'none configured'})`,
  ]);
}

/** `pause/watcher`, `pause/proposer`, `pause/stage/<name>`. */
export function pauseId(target: PauseTarget): string {
  return target.kind === 'stage' ? `pause/stage/${target.stage}` : `pause/${target.kind}`;
}

function pauseState(item: StoredItem): PauseState {
  return { ...parseItemData(pauseDataSchema, item.data, 'pause switch', item.id), itemId: item.id };
}

/** The switch of `target` when it is set, else undefined. One strongly consistent read. */
export async function readPause(store: StateStore, target: PauseTarget): Promise<PauseState | undefined> {
  const item = await store.get(pauseId(target));
  return item === undefined || item.status !== 'paused' ? undefined : pauseState(item);
}

/** Every set switch, in id order (for status pages). */
export async function listPauses(store: StateStore): Promise<PauseState[]> {
  return (await store.list(PAUSE_KIND, 'paused')).map(pauseState);
}

/**
 * Sets the switch of `target` with why and by whom. Setting a set switch keeps the first `since`
 * and replaces the reason (the newest reason is the one a person reads).
 * @returns the switch as stored.
 */
export async function setPause(
  store: StateStore,
  target: PauseTarget,
  why: { readonly reason: string; readonly by: string; readonly setter: PauseSetter; readonly at: Date },
): Promise<PauseState> {
  const id = pauseId(target);
  for (;;) {
    const existing = await store.get(id);
    const since =
      existing?.status === 'paused' && typeof existing.data.since === 'string'
        ? existing.data.since
        : why.at.toISOString();
    const item = {
      id,
      kind: PAUSE_KIND,
      status: 'paused',
      sortKey: pauseTargetName(target),
      data: { target: pauseTargetName(target), reason: why.reason, by: why.by, setter: why.setter, since },
    };
    const written =
      existing === undefined ? await store.create(item) : await store.replace(item, existing.version);
    if (written) return { ...item.data, itemId: id };
  }
}

/**
 * Clears the switch of `target`.
 * @returns the switch that was set, or undefined when none was.
 */
export async function clearPause(store: StateStore, target: PauseTarget): Promise<PauseState | undefined> {
  for (;;) {
    const existing = await store.get(pauseId(target));
    if (existing === undefined) return undefined;
    const state = existing.status === 'paused' ? pauseState(existing) : undefined;
    if (await store.delete(existing.id, existing.version)) return state;
  }
}
