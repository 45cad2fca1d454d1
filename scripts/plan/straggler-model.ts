import { Prng } from '../chaos/prng.js';
import type { ProvingModel } from './world-model.js';

/**
 * How many times its modelled duration one job takes: `stragglerFactor` for a `stragglerShare` of
 * jobs (a slow host, a noisy neighbour, a GPU throttled by heat), else 1. Drawn from the scenario's
 * seed and the job's name alone, so the same job straggles with or without hedging, and a hedge
 * (its own name) or a retry draws apart.
 */
export function stragglerFactor(model: ProvingModel, seed: number, jobName: string): number {
  if (model.stragglerShare <= 0) return 1;
  let hash = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < jobName.length; i++) hash = Math.imul(hash ^ jobName.charCodeAt(i), 16777619) >>> 0;
  return new Prng(hash).chance(model.stragglerShare) ? model.stragglerFactor : 1;
}
