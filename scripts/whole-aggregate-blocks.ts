import type { PipelineConfig, StageConfig } from '../lambdas/core/config/schema.js';

/**
 * Blocks rounded up so the last aggregate group fills without waiting for `maxWaitSeconds` (a
 * partial group only closes when a later dispatch finds it old enough, and no later dispatch comes).
 */
export function roundToWholeAggregates(pipeline: PipelineConfig, requested: bigint): bigint {
  const [range, aggregate] = pipeline.stages;
  const collectorOf = (stage: StageConfig | undefined) =>
    stage?.collector.strategy === 'sequential' ? stage.collector : undefined;
  const rangeSize = BigInt(collectorOf(range)?.groupSize ?? 1);
  const aggregateSpan = BigInt(collectorOf(aggregate)?.minSpan ?? Number(rangeSize));
  const unit = ((aggregateSpan + rangeSize - 1n) / rangeSize) * rangeSize;
  return ((requested + unit - 1n) / unit) * unit;
}
