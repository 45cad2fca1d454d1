import type { PipelineConfig, StageConfig } from './schema.js';
import { isProvingStage } from './stage-schema.js';
import { topicProducers } from './topic-producers.js';

/**
 * The oracle accepts a proposal only if it starts at its latest block and spans at least
 * `submissionInterval` blocks; the stage feeding the proposer (producing `proposer.inputTopic`)
 * must only ever form such groups, in order. A short group is refused forever, and every group
 * after it starts past the oracle's latest block, so nothing after it is accepted either.
 */
export function checkProposerFeed(config: PipelineConfig): string[] {
  const { inputTopic, submissionInterval: interval } = config.proposer;
  const producer = topicProducers(config).get(inputTopic);
  const problems = checkRangeSizes(config);
  // An unknown topic is reported by the topic checks.
  if (producer === undefined) return problems;
  if (producer.kind === 'watcher') {
    return [
      ...problems,
      `proposer.inputTopic: got "${inputTopic}", the watcher's blocks; expected the outputTopic of an aggregate stage with executor.l1Checkpoint: true`,
    ];
  }
  const feeds = `on the stage feeding the proposer (proposer.inputTopic "${inputTopic}")`;
  return [...problems, ...checkFeedingStage(producer.stage, `stages[${producer.index}]`, feeds, interval)];
}

/** A block-keyed group of `groupSize` messages covers `groupSize` blocks: more than an interval can never be proposed alone. */
function checkRangeSizes(config: PipelineConfig): string[] {
  const interval = config.proposer.submissionInterval;
  return config.stages.flatMap((stage, i) => {
    const c = stage.collector;
    if (c.strategy !== 'sequential' || c.keyKind !== 'block' || c.groupSize === undefined) return [];
    if (c.groupSize <= interval) return [];
    return [
      `stages[${i}].collector.groupSize: got ${c.groupSize} blocks per range, expected ≤ proposer.submissionInterval ${interval}`,
    ];
  });
}

function checkFeedingStage(stage: StageConfig, path: string, feeds: string, interval: number): string[] {
  if (!isProvingStage(stage)) {
    return [
      `${path}.join: got a join stage ${feeds}, expected an aggregate stage with l1Checkpoint: true: the oracle accepts only aggregate proofs (join the range stages before the aggregate stage)`,
    ];
  }
  const problems: string[] = [];
  const { collector: c, executor: e } = stage;
  if (e.program !== 'aggregate') {
    problems.push(
      `${path}.executor.program: got "${e.program}" ${feeds}, expected "aggregate" with l1Checkpoint: true: the oracle accepts only aggregate proofs`,
    );
  }
  if (e.onExhausted === 'bisect') {
    problems.push(
      `${path}.executor.onExhausted: got "bisect" ${feeds}, expected "fail": the halves of a bisected group span less than proposer.submissionInterval ${interval}, which the oracle refuses`,
    );
  }
  if (c.strategy === 'match') {
    problems.push(
      `${path}.collector.strategy: got "match" ${feeds}, expected "sequential" with keyKind "range" and minSpan ≥ proposer.submissionInterval ${interval}: a match group spans whatever its members span, so nothing makes it reach the interval from the oracle's latest block`,
    );
    return problems;
  }
  if ((c.minSpan ?? 0) < interval) {
    problems.push(
      `${path}.collector.minSpan: got ${c.minSpan ?? 'nothing'}, expected ≥ proposer.submissionInterval ${interval} (the stage feeds the proposer)`,
    );
  }
  if (c.keyKind === 'range' && c.groupSize !== undefined) {
    problems.push(
      `${path}.collector.groupSize: got ${c.groupSize} ${feeds}, expected none: a group closes at groupSize ranges, whatever they span, before reaching minSpan ≥ proposer.submissionInterval ${interval}`,
    );
  }
  if (c.maxWaitSeconds !== undefined) {
    problems.push(
      `${path}.collector.maxWaitSeconds: got ${c.maxWaitSeconds} ${feeds}, expected none: a flushed partial group spans less than proposer.submissionInterval ${interval}, the oracle refuses it forever and every later group waits behind it`,
    );
  }
  return problems;
}
