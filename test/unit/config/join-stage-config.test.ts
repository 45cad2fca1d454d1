import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { committedConfigJson, type RawConfig } from '../../support/config-json.js';
import { expectRefused, issuesOf } from './cross-check-cases.js';

const twoProvers = (): RawConfig => committedConfigJson('devnet-two-provers.json');
const JOIN = 2;

describe('join stages in the config', () => {
  it('accepts the shipped two-prover devnet config', () => {
    // Act
    const config = parsePipelineConfig(twoProvers(), 'test');
    // Assess
    expect(config.stages.map((s) => ('join' in s ? `${s.name}:join` : s.name))).toEqual([
      'range-a',
      'range-b',
      'range:join',
      'aggregate',
    ]);
  });

  it('names the join stage’s own field when it is wrong, not "matches neither"', () => {
    // Prepare
    const raw = twoProvers();
    raw.stages[JOIN].join.policy = 'most';
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^stages\[2\]\.join\.policy: /);
  });

  it.each([
    {
      check: 'forward is one of the inputs',
      change: (raw: RawConfig) => {
        raw.stages[JOIN].join.forward = 'range-proofs-c';
      },
      path: 'stages[2].join.forward',
      value: '"range-proofs-c"',
      issue:
        'stages[2].join.forward: got "range-proofs-c", expected one of its inputTopics: range-proofs-a, range-proofs-b',
    },
    {
      check: 'all waits for every input',
      change: (raw: RawConfig) => {
        raw.stages[JOIN].collector.count = 3;
      },
      path: 'stages[2].collector.count',
      value: '3',
      issue:
        'stages[2].collector.count: got 3, expected 2 (one result per input topic) for join policy "all"',
    },
    {
      check: 'the provers cut identical ranges',
      change: (raw: RawConfig) => {
        raw.stages[1].collector.groupSize = 4;
      },
      path: 'stages[2].inputTopics',
      value: 'collector.groupSize 5 vs 4',
      issue:
        'stages[2].inputTopics: stages "range-a" and "range-b" cut different ranges (collector.groupSize 5 vs 4), expected identical collectors so that every span has one result from each',
    },
    {
      check: 'no time-based flush on a joined prover',
      change: (raw: RawConfig) => {
        raw.stages[0].collector.maxWaitSeconds = 20;
        raw.stages[1].collector.maxWaitSeconds = 20;
      },
      path: 'stage "range-a".collector.maxWaitSeconds',
      value: '20',
      issue:
        'stage "range-a".collector.maxWaitSeconds: got 20 on a stage joined by "range", expected none: a flush on time cuts ranges the other prover does not',
    },
    {
      check: 'a join never flushes one result alone',
      change: (raw: RawConfig) => {
        raw.stages[JOIN].collector.onTimeout = 'flush';
      },
      path: 'stages[2].collector.onTimeout',
      value: '"flush"',
      issue:
        'stages[2].collector.onTimeout: got "flush", expected "fail": a flushed join group holds fewer results than provers, so one prover\'s result would pass unchecked',
    },
    {
      check: 'the join matches on the span',
      change: (raw: RawConfig) => {
        raw.stages[JOIN].collector.field = 'end';
      },
      path: 'stages[2].collector.field',
      value: '"end"',
      issue:
        'stages[2].collector.field: got "end", expected "@key": a join matches results on their span, the message key start-end',
    },
  ])('refuses a config where not: $check', ({ check, change, path, value, issue }) => {
    expectRefused({ check, base: twoProvers, change, path, value, issue });
  });
});
