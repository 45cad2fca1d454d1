import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import type { RawConfig } from '../../support/config-json.js';
import {
  awsJson,
  type CrossCheckCase,
  devnetJson,
  expectRefused,
  matchCollector,
} from './cross-check-cases.js';

/** A stage reading `inputTopics` into `outputTopic` with the devnet range stage's executor (program range, onExhausted fail). */
function rangeProgramStage(
  raw: RawConfig,
  name: string,
  inputTopics: string[],
  collector: RawConfig,
): RawConfig {
  return {
    name,
    inputTopics,
    outputTopic: `${name}-out`,
    collector,
    executor: { ...raw.stages[0].executor, onExhausted: 'fail' },
  };
}

/**
 * Configs the schema and the older cross-checks accepted although the pipeline could never make a
 * proposal the oracle accepts. Each case breaks one rule of a committed config.
 */
const NEVER_PROPOSES: CrossCheckCase[] = [
  {
    check: 'the aggregate stage feeding the proposer without l1Checkpoint',
    base: devnetJson,
    change: (raw) => {
      delete raw.stages[1].executor.l1Checkpoint;
    },
    path: 'stages[1].executor.l1Checkpoint',
    value: 'false',
    issue:
      'stages[1].executor.l1Checkpoint: got false for program "aggregate", expected true: an aggregate job cannot start without an L1 checkpoint, and the proposer grants one only to stages with l1Checkpoint',
  },
  {
    check: 'an aggregate stage off the proposer path without l1Checkpoint',
    base: awsJson,
    change: (raw) => {
      raw.stages.push({
        ...raw.stages[1],
        name: 'copy',
        outputTopic: 'copies',
        executor: { ...raw.stages[1].executor, l1Checkpoint: false },
      });
    },
    path: 'stages[2].executor.l1Checkpoint',
    value: 'false',
    issue:
      'stages[2].executor.l1Checkpoint: got false for program "aggregate", expected true: an aggregate job cannot start without an L1 checkpoint, and the proposer grants one only to stages with l1Checkpoint',
  },
  {
    check: 'the proposer reading the watcher topic',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.inputTopic = 'blocks';
    },
    path: 'proposer.inputTopic',
    value: '"blocks"',
    issue:
      'proposer.inputTopic: got "blocks", the watcher\'s blocks; expected the outputTopic of an aggregate stage with executor.l1Checkpoint: true',
  },
  {
    check: 'a range stage feeding the proposer',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.inputTopic = 'range-proofs';
      raw.stages[0].collector = { strategy: 'sequential', keyKind: 'block', groupSize: 10, minSpan: 10 };
    },
    path: 'stages[0].executor.program',
    value: '"range"',
    issue:
      'stages[0].executor.program: got "range" on the stage feeding the proposer (proposer.inputTopic "range-proofs"), expected "aggregate" with l1Checkpoint: true: the oracle accepts only aggregate proofs',
  },
  {
    check: 'maxWaitSeconds on the stage feeding the proposer',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector.maxWaitSeconds = 60;
    },
    path: 'stages[1].collector.maxWaitSeconds',
    value: '60',
    issue:
      'stages[1].collector.maxWaitSeconds: got 60 on the stage feeding the proposer (proposer.inputTopic "aggregate-proofs"), expected none: a flushed partial group spans less than proposer.submissionInterval 10, the oracle refuses it forever and every later group waits behind it',
  },
  {
    check: 'onExhausted bisect on the stage feeding the proposer',
    base: awsJson,
    change: (raw) => {
      raw.stages[1].executor.onExhausted = 'bisect';
    },
    path: 'stages[1].executor.onExhausted',
    value: '"bisect"',
    issue:
      'stages[1].executor.onExhausted: got "bisect" on the stage feeding the proposer (proposer.inputTopic "aggregate-proofs"), expected "fail": the halves of a bisected group span less than proposer.submissionInterval 1800, which the oracle refuses',
  },
  {
    check: 'block keys on a topic a stage produces',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector.keyKind = 'block';
    },
    path: 'stages[1].collector.keyKind',
    value: '"block"',
    issue:
      'stages[1].collector.keyKind: got "block", expected "range": input topic "range-proofs" is produced by stage "range", which emits range keys start-end',
  },
  {
    check: 'range keys on the watcher topic',
    base: devnetJson,
    change: (raw) => {
      raw.stages[0].collector.keyKind = 'range';
    },
    path: 'stages[0].collector.keyKind',
    value: '"range"',
    issue:
      'stages[0].collector.keyKind: got "range", expected "block": input topic "blocks" is produced by watcher, which emits block keys n',
  },
  {
    check: 'a match stage feeding the proposer',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector = matchCollector({ count: 2 });
    },
    path: 'stages[1].collector.strategy',
    value: '"match"',
    issue:
      'stages[1].collector.strategy: got "match" on the stage feeding the proposer (proposer.inputTopic "aggregate-proofs"), expected "sequential" with keyKind "range" and minSpan ≥ proposer.submissionInterval 10: a match group spans whatever its members span, so nothing makes it reach the interval from the oracle\'s latest block',
  },
  {
    check: 'a range-keyed groupSize on the stage feeding the proposer',
    base: awsJson,
    change: (raw) => {
      raw.stages[1].collector.groupSize = 2;
    },
    path: 'stages[1].collector.groupSize',
    value: '2',
    issue:
      'stages[1].collector.groupSize: got 2 on the stage feeding the proposer (proposer.inputTopic "aggregate-proofs"), expected none: a group closes at groupSize ranges, whatever they span, before reaching minSpan ≥ proposer.submissionInterval 1800',
  },
  {
    check: 'an aggregate stage reading the watcher topic',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].inputTopics = ['blocks'];
      raw.stages[1].collector.keyKind = 'block';
    },
    path: 'stages[1].inputTopics[0]',
    value: '"blocks"',
    issue:
      'stages[1].inputTopics[0]: got "blocks", the watcher\'s blocks, for program "aggregate"; expected the outputTopic of a range stage: an aggregate job aggregates range proofs',
  },
  {
    check: 'a match stage listing one topic twice',
    base: devnetJson,
    change: (raw) => {
      raw.stages.push(
        rangeProgramStage(raw, 'join', ['range-proofs', 'range-proofs'], matchCollector({ count: 2 })),
      );
    },
    path: 'stages[2].inputTopics[1]',
    value: '"range-proofs"',
    issue:
      'stages[2].inputTopics[1]: got "range-proofs" again (also inputTopics[0]), expected each topic once: the collector reads the topic\'s inbox once per listing, so each message would count twice and match itself',
  },
  {
    check: 'checkpointDepth beyond the blockhash() window',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.checkpointDepth = 256;
    },
    path: 'proposer.checkpointDepth',
    value: '256',
    issue:
      'proposer.checkpointDepth: got 256, expected < proposer.checkpointMaxAgeBlocks 200 (itself ≤ 255): checkpointBlockHash(head − checkpointDepth) reverts unless it lands within 256 blocks of that block, and a checkpoint made deeper than checkpointMaxAgeBlocks is already too old to reuse',
  },
  {
    check: 'checkpointDepth not below checkpointMaxAgeBlocks',
    base: awsJson,
    change: (raw) => {
      raw.proposer.checkpointDepth = 100;
      raw.proposer.checkpointMaxAgeBlocks = 100;
    },
    path: 'proposer.checkpointDepth',
    value: '100',
    issue:
      'proposer.checkpointDepth: got 100, expected < proposer.checkpointMaxAgeBlocks 100 (itself ≤ 255): checkpointBlockHash(head − checkpointDepth) reverts unless it lands within 256 blocks of that block, and a checkpoint made deeper than checkpointMaxAgeBlocks is already too old to reuse',
  },
  {
    check: 'a lease shorter than a resubmission timeout',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.leaseSeconds = 10;
    },
    path: 'proposer.leaseSeconds',
    value: '10',
    issue:
      'proposer.leaseSeconds: got 10, expected ≥ 11 (proposer.resubmissionTimeoutSeconds 6 + 5 s): a run stops 5 s before its lease ends and must outlast one resubmission timeout to replace its own underpriced checkpoint transaction; a checkpoint mined only in a later run is never recorded',
  },
];

describe('configs that could never propose', () => {
  it.each(NEVER_PROPOSES)('refuses $check, naming the path, the value and what would work', expectRefused);

  it('accepts the committed configs at the edges of these rules', () => {
    // Prepare: the deepest checkpoint and the shortest lease the rules allow.
    const raw = devnetJson();
    raw.proposer.checkpointDepth = raw.proposer.checkpointMaxAgeBlocks - 1;
    raw.proposer.leaseSeconds = raw.proposer.resubmissionTimeoutSeconds + 5;
    // Act + Assess
    expect(() => parsePipelineConfig(raw, 'test')).not.toThrow();
    expect(() => parsePipelineConfig(awsJson(), 'aws')).not.toThrow();
  });
});
