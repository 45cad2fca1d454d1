import type { PipelineConfig, ProvingStageConfig } from './schema.js';
import { isJoinStage, isProvingStage, MATCH_ON_KEY } from './stage-schema.js';
import { topicProducers } from './topic-producers.js';

/**
 * A join stage's wiring: each input topic is produced by a proving stage, all of one program, whose
 * collectors cut identical ranges (same strategy, key kind, groupSize, minSpan, maxGasPerRange, adaptiveSize, and no
 * `maxWaitSeconds`: a flush on time would cut different ranges) and never bisect (halves would match
 * nothing); the collector matches on the span (`@key`); `forward` is one of its inputs; `all`
 * waits for every input (`count` = number of inputs) and a join never flushes on its timeout.
 * Returns one line per problem.
 */
export function checkJoinStages(config: PipelineConfig): string[] {
  const producers = topicProducers(config);
  const problems: string[] = [];
  config.stages.forEach((stage, i) => {
    if (!isJoinStage(stage)) return;
    const path = `stages[${i}]`;
    if (!stage.inputTopics.includes(stage.join.forward)) {
      problems.push(
        `${path}.join.forward: got "${stage.join.forward}", expected one of its inputTopics: ${stage.inputTopics.join(', ')}`,
      );
    }
    if (stage.collector.field !== MATCH_ON_KEY) {
      problems.push(
        `${path}.collector.field: got "${stage.collector.field}", expected "${MATCH_ON_KEY}": a join matches results on their span, the message key start-end`,
      );
    }
    const count = stage.collector.count;
    if (stage.join.policy === 'all' && count !== stage.inputTopics.length) {
      problems.push(
        `${path}.collector.count: got ${count ?? 'nothing'}, expected ${stage.inputTopics.length} (one result per input topic) for join policy "all"`,
      );
    }
    if (stage.collector.onTimeout !== 'fail') {
      problems.push(
        `${path}.collector.onTimeout: got "${stage.collector.onTimeout}", expected "fail": a flushed join group holds fewer results than provers, so one prover's result would pass unchecked`,
      );
    }
    const provers: ProvingStageConfig[] = [];
    stage.inputTopics.forEach((topic, j) => {
      const producer = producers.get(topic);
      if (producer === undefined) return;
      if (producer.kind !== 'stage' || !isProvingStage(producer.stage)) {
        problems.push(
          `${path}.inputTopics[${j}]: got "${topic}", expected the outputTopic of a proving stage: a join joins provers' results`,
        );
        return;
      }
      provers.push(producer.stage);
    });
    const [first, ...others] = provers;
    if (first === undefined) return;
    for (const other of others) {
      if (other.executor.program !== first.executor.program) {
        problems.push(
          `${path}.inputTopics: stages "${first.name}" and "${other.name}" run programs "${first.executor.program}" and "${other.executor.program}", expected one program: a join compares results of one program`,
        );
      }
      const cut = rangeCutDifference(first, other);
      if (cut !== undefined) {
        problems.push(
          `${path}.inputTopics: stages "${first.name}" and "${other.name}" cut different ranges (${cut}), expected identical collectors so that every span has one result from each`,
        );
      }
    }
    for (const prover of provers) {
      if (prover.collector.strategy === 'sequential' && prover.collector.maxWaitSeconds !== undefined) {
        problems.push(
          `stage "${prover.name}".collector.maxWaitSeconds: got ${prover.collector.maxWaitSeconds} on a stage joined by "${stage.name}", expected none: a flush on time cuts ranges the other prover does not`,
        );
      }
      if (prover.executor.onExhausted === 'bisect') {
        problems.push(
          `stage "${prover.name}".executor.onExhausted: got "bisect" on a stage joined by "${stage.name}", expected "fail": a bisected range's halves match no result of the other prover`,
        );
      }
    }
  });
  return problems;
}

function rangeCutDifference(a: ProvingStageConfig, b: ProvingStageConfig): string | undefined {
  const fields = ['strategy', 'keyKind', 'groupSize', 'minSpan', 'maxGasPerRange'] as const;
  for (const field of fields) {
    const left = (a.collector as Record<string, unknown>)[field];
    const right = (b.collector as Record<string, unknown>)[field];
    if (left !== right) return `collector.${field} ${String(left)} vs ${String(right)}`;
  }
  // One stored size per epoch and sizeName: provers with different sizeNames adapt apart.
  const [left, right] = [a.collector, b.collector].map((c) =>
    JSON.stringify(c.strategy === 'sequential' ? c.adaptiveSize : undefined),
  );
  if (left !== right) return `collector.adaptiveSize ${left ?? 'none'} vs ${right ?? 'none'}`;
  return undefined;
}
