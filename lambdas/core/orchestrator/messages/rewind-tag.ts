import { PipelineError } from '../../errors.js';

/**
 * The tag an L2 rewind writes on what it invalidated, released or moved back (`invalidatedBy`,
 * `releasedBy`, `rewoundBy`), from its generation (the watcher cursor's `rewinds` once it is done).
 * Here, below the group lifecycle and the collectors, because they read it too (which rewind came later).
 */
export function rewindTag(rewind: { readonly generation: number }): string {
  return `l2-rewind-${rewind.generation}`;
}

/**
 * The generation a rewind tag names (`rewindTag`), 0 for none: which of two rewinds came later.
 * @throws PipelineError naming the tag when it is not one `rewindTag` writes.
 */
export function rewindGeneration(tag: string | undefined): number {
  if (tag === undefined) return 0;
  const match = /^l2-rewind-([1-9]\d*)$/.exec(tag);
  if (match === null)
    throw new PipelineError(`L2 rewind tag "${tag}" is not of the form l2-rewind-<generation>`);
  return Number(match[1]);
}
