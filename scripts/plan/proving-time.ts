import type { ExecutorConfig } from '../../lambdas/core/config/schema.js';
import type { ChainProfile } from './chain-profiles.js';
import type { ProvingModel } from './world-model.js';

/**
 * Seconds one GPU needs for a range proof of `blocks` blocks of `chain`:
 * setup + (overhead + blocks × gasPerBlock × cyclesPerGas) / gpuCyclesPerSecond.
 */
export function rangeProvingSeconds(model: ProvingModel, chain: ChainProfile, blocks: number): number {
  const cycles = model.rangeOverheadCycles + blocks * chain.gasPerBlock * model.cyclesPerGas;
  return model.rangeSetupSeconds + cycles / model.gpuCyclesPerSecond;
}

/** Seconds one GPU needs to aggregate `ranges` range proofs and wrap the result in `mode`. */
export function aggregateProvingSeconds(
  model: ProvingModel,
  ranges: number,
  mode: ExecutorConfig['proofMode'],
): number {
  return model.aggregateBaseSeconds + ranges * model.aggregateSecondsPerRange + model.wrapSeconds[mode];
}
