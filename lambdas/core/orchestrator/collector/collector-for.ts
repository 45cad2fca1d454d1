import type { StageConfig } from '../../config/schema.js';
import type { Collector } from './collector.js';
import { MatchCollector } from './match-collector.js';
import { SequentialCollector } from './sequential-collector.js';

/** The collector a stage's config asks for. */
export function collectorFor(stage: StageConfig): Collector {
  const rule = stage.collector;
  return rule.strategy === 'sequential'
    ? new SequentialCollector(stage, rule)
    : new MatchCollector(stage, rule);
}
