import type { AdaptiveSizeConfig } from './adaptive-size-schema.js';
import type { PipelineConfig, SequentialCollectorConfig } from './schema.js';

/** The collector fields that decide a range's boundaries besides `adaptiveSize`. */
const CUT_FIELDS = ['groupSize', 'minSpan', 'maxGasPerRange', 'maxWaitSeconds'] as const;

/**
 * Adaptive range sizes (`collector.adaptiveSize`): only on block keys; `minBlocks` ≤ `initialBlocks`
 * ≤ `maxBlocks` ≤ `epochBlocks`, and `maxBlocks` ≤ the proposer's submission interval (as for
 * `groupSize`); an aggregate stage grouping the stage's ranges has a `minSpan` that is a multiple
 * of `epochBlocks`, so that its groups end on an epoch boundary (which always closes a range)
 * instead of overshooting by part of a range; and stages sharing a `sizeName` share the stored
 * sizes and observations, so they must cut alike: identical `adaptiveSize` and cut fields.
 * Returns one line per problem.
 */
export function checkAdaptiveSizes(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const bySizeName = new Map<string, { index: number; collector: SequentialCollectorConfig }>();
  config.stages.forEach((stage, i) => {
    const c = stage.collector;
    if (c.strategy !== 'sequential' || c.adaptiveSize === undefined) return;
    const a = c.adaptiveSize;
    const path = `stages[${i}].collector.adaptiveSize`;
    if (c.keyKind !== 'block') {
      problems.push(
        `${path}: got it on stage "${stage.name}" with keyKind "${c.keyKind}", expected it only with keyKind "block": ranges are sized in blocks`,
      );
    }
    problems.push(...boundProblems(path, a));
    const interval = config.proposer.submissionInterval;
    if (a.maxBlocks > interval) {
      problems.push(
        `${path}.maxBlocks: got ${a.maxBlocks}, expected ≤ proposer.submissionInterval ${interval}: a range of more blocks than an interval can never be proposed alone`,
      );
    }
    for (const j of rangeReaders(config, stage.outputTopic)) {
      const reader = config.stages[j]!;
      const r = reader.collector;
      if (r.strategy !== 'sequential' || r.minSpan === undefined || r.minSpan % a.epochBlocks === 0) continue;
      problems.push(
        `${path}.epochBlocks: got ${a.epochBlocks}, expected a divisor of stages[${j}].collector.minSpan ${r.minSpan} (stage "${reader.name}" aggregates stage "${stage.name}"'s ranges): its groups end exactly on an epoch boundary only then`,
      );
    }
    const first = bySizeName.get(a.sizeName);
    if (first === undefined) {
      bySizeName.set(a.sizeName, { index: i, collector: c });
      return;
    }
    const difference = cutDifference(first.collector, c);
    if (difference !== undefined) {
      problems.push(
        `${path}.sizeName: got "${a.sizeName}", also the sizeName of stages[${first.index}], with different settings (${difference}); expected identical adaptiveSize and ${CUT_FIELDS.join(', ')}: stages sharing a size cut identical ranges`,
      );
    }
  });
  return problems;
}

/**
 * Indexes of the sequential stages that group the ranges published on `topic`: its readers, and
 * through a join (a match stage, whose results keep their span) the readers of the join's output.
 */
function rangeReaders(config: PipelineConfig, topic: string, seen = new Set<string>()): number[] {
  if (seen.has(topic)) return [];
  seen.add(topic);
  return config.stages.flatMap((reader, j) => {
    if (!reader.inputTopics.includes(topic)) return [];
    if (reader.collector.strategy === 'sequential') return [j];
    return rangeReaders(config, reader.outputTopic, seen);
  });
}

function boundProblems(path: string, a: AdaptiveSizeConfig): string[] {
  const problems: string[] = [];
  if (a.minBlocks > a.maxBlocks)
    problems.push(`${path}.minBlocks: got ${a.minBlocks}, expected ≤ maxBlocks ${a.maxBlocks}`);
  if (a.maxBlocks > a.epochBlocks)
    problems.push(`${path}.maxBlocks: got ${a.maxBlocks}, expected ≤ epochBlocks ${a.epochBlocks}`);
  const initial = a.initialBlocks;
  if (initial !== undefined && (initial < a.minBlocks || initial > a.maxBlocks)) {
    problems.push(
      `${path}.initialBlocks: got ${initial}, expected within minBlocks ${a.minBlocks} and maxBlocks ${a.maxBlocks}`,
    );
  }
  return problems;
}

function cutDifference(a: SequentialCollectorConfig, b: SequentialCollectorConfig): string | undefined {
  const settings = Object.keys({ ...a.adaptiveSize, ...b.adaptiveSize }) as (keyof AdaptiveSizeConfig)[];
  for (const field of settings) {
    const [left, right] = [a.adaptiveSize?.[field], b.adaptiveSize?.[field]];
    if (left !== right) return `adaptiveSize.${field} ${String(left)} vs ${String(right)}`;
  }
  for (const field of CUT_FIELDS) {
    if (a[field] !== b[field]) return `${field} ${String(a[field])} vs ${String(b[field])}`;
  }
  return undefined;
}
