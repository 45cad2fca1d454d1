import type { KeyKind } from '../messages/key-kind.js';
import type { PipelineConfig, StageConfig } from './schema.js';

/** Who publishes a topic: the watcher (block keys `n`) or a stage (range keys `start-end`). */
export type TopicProducer =
  | { readonly kind: 'watcher' }
  | { readonly kind: 'stage'; readonly index: number; readonly stage: StageConfig };

/**
 * The producer of each topic: the watcher's output topic, then each stage's output topic. Of two
 * stages producing one topic the first is kept (the cross-checks refuse the second).
 */
export function topicProducers(config: PipelineConfig): Map<string, TopicProducer> {
  const producers = new Map<string, TopicProducer>([[config.watcher.outputTopic, { kind: 'watcher' }]]);
  config.stages.forEach((stage, index) => {
    if (!producers.has(stage.outputTopic)) producers.set(stage.outputTopic, { kind: 'stage', index, stage });
  });
  return producers;
}

/** `watcher` or `stage "<name>"`, for problem lines. */
export function describeProducer(producer: TopicProducer): string {
  return producer.kind === 'watcher' ? 'watcher' : `stage "${producer.stage.name}"`;
}

/** The key kind a producer's messages carry: the watcher emits block numbers, every stage `start-end` ranges. */
export function emittedKeyKind(producer: TopicProducer): KeyKind {
  return producer.kind === 'watcher' ? 'block' : 'range';
}
