import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { committedConfigJson, type RawConfig } from '../../support/config-json.js';
import { type CrossCheckCase, devnetJson, expectRefused, issuesOf } from './cross-check-cases.js';

const SETTINGS = { sizeName: 'range', targetSeconds: 600, epochBlocks: 10, minBlocks: 2, maxBlocks: 10 };

/** The devnet config with the range stage sized adaptively (epochs of 10 blocks, aggregate minSpan 10). */
function adaptiveJson(settings: Record<string, unknown> = {}): RawConfig {
  const raw = devnetJson();
  raw.stages[0].collector = {
    strategy: 'sequential',
    keyKind: 'block',
    adaptiveSize: { ...SETTINGS, ...settings },
  };
  return raw;
}

/** The two-prover devnet config (range-a, range-b joined) with both provers sized adaptively. */
function twoProversJson(b: Record<string, unknown> = {}): RawConfig {
  const raw = committedConfigJson('devnet-two-provers.json');
  raw.stages[0].collector.adaptiveSize = SETTINGS;
  raw.stages[1].collector.adaptiveSize = { ...SETTINGS, ...b };
  return raw;
}

describe('collector.adaptiveSize', () => {
  it('is read without groupSize, initialBlocks left out', () => {
    // Prepare
    const raw = adaptiveJson();
    // Act
    const config = parsePipelineConfig(raw, 'test');
    // Assess
    expect(config.stages[0]!.collector).toEqual({
      strategy: 'sequential',
      keyKind: 'block',
      adaptiveSize: SETTINGS,
    });
  });

  it('is read on joined provers that share their sizeName and settings', () => {
    // Prepare
    const raw = twoProversJson();
    // Act
    const config = parsePipelineConfig(raw, 'test');
    // Assess
    expect(config.stages[1]!.collector).toMatchObject({ adaptiveSize: SETTINGS });
  });

  it.each<Omit<CrossCheckCase, 'base'>>([
    {
      check: 'minBlocks above maxBlocks',
      change: (raw) => Object.assign(raw.stages[0].collector.adaptiveSize, { minBlocks: 11 }),
      path: 'stages[0].collector.adaptiveSize.minBlocks',
      value: '11',
      issue: 'stages[0].collector.adaptiveSize.minBlocks: got 11, expected ≤ maxBlocks 10',
    },
    {
      check: 'maxBlocks above epochBlocks',
      change: (raw) => Object.assign(raw.stages[0].collector.adaptiveSize, { maxBlocks: 20 }),
      path: 'stages[0].collector.adaptiveSize.maxBlocks',
      value: '20',
      issue: 'stages[0].collector.adaptiveSize.maxBlocks: got 20, expected ≤ epochBlocks 10',
    },
    {
      check: 'maxBlocks above the submission interval',
      change: (raw) =>
        Object.assign(raw.stages[0].collector.adaptiveSize, { epochBlocks: 20, maxBlocks: 20 }),
      path: 'stages[0].collector.adaptiveSize.maxBlocks',
      value: '20',
      issue:
        'stages[0].collector.adaptiveSize.maxBlocks: got 20, expected ≤ proposer.submissionInterval 10: a range of more blocks than an interval can never be proposed alone',
    },
    {
      check: 'initialBlocks outside the bounds',
      change: (raw) => Object.assign(raw.stages[0].collector.adaptiveSize, { initialBlocks: 1 }),
      path: 'stages[0].collector.adaptiveSize.initialBlocks',
      value: '1',
      issue:
        'stages[0].collector.adaptiveSize.initialBlocks: got 1, expected within minBlocks 2 and maxBlocks 10',
    },
    {
      check: 'epochBlocks that does not divide the aggregate’s minSpan',
      change: (raw) => Object.assign(raw.stages[0].collector.adaptiveSize, { epochBlocks: 4, maxBlocks: 4 }),
      path: 'stages[0].collector.adaptiveSize.epochBlocks',
      value: '4',
      issue:
        'stages[0].collector.adaptiveSize.epochBlocks: got 4, expected a divisor of stages[1].collector.minSpan 10 (stage "aggregate" aggregates stage "range"\'s ranges): its groups end exactly on an epoch boundary only then',
    },
    {
      check: 'adaptiveSize on range keys',
      change: (raw) => {
        raw.stages[1].collector.adaptiveSize = { ...SETTINGS };
      },
      path: 'stages[1].collector.adaptiveSize',
      value: 'range',
      issue:
        'stages[1].collector.adaptiveSize: got it on stage "aggregate" with keyKind "range", expected it only with keyKind "block": ranges are sized in blocks',
    },
  ])('refuses $check, naming the field', (c) => {
    expectRefused({ ...c, base: adaptiveJson });
  });

  it('follows a join to the aggregate when checking epochBlocks', () => {
    // Prepare: range-a and range-b feed the join "range", which feeds the aggregate (minSpan 10)
    const raw = twoProversJson({ epochBlocks: 3, maxBlocks: 3 });
    raw.stages[0].collector.adaptiveSize = { ...SETTINGS, epochBlocks: 3, maxBlocks: 3 };
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toContain(
      'stages[0].collector.adaptiveSize.epochBlocks: got 3, expected a divisor of stages[3].collector.minSpan 10 (stage "aggregate" aggregates stage "range-a"\'s ranges): its groups end exactly on an epoch boundary only then',
    );
  });

  it('refuses stages sharing a sizeName with different settings, naming the field that differs', () => {
    // Prepare
    const raw = twoProversJson({ targetSeconds: 300 });
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toContain(
      'stages[1].collector.adaptiveSize.sizeName: got "range", also the sizeName of stages[0], with different settings (adaptiveSize.targetSeconds 600 vs 300); expected identical adaptiveSize and groupSize, minSpan, maxGasPerRange, maxWaitSeconds: stages sharing a size cut identical ranges',
    );
  });

  it('refuses joined provers with different sizeNames: each would adapt its own ranges', () => {
    // Prepare
    const raw = twoProversJson({ sizeName: 'range-b' });
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues.find((i) => i.includes('cut different ranges'))).toContain('collector.adaptiveSize');
  });

  it('refuses a sizeName that is not a name, naming the field', () => {
    expect(issuesOf(adaptiveJson({ sizeName: 'Range 1' }))).toEqual([
      'stages[0].collector.adaptiveSize.sizeName: a size name of lower-case letters, digits and dashes (got "Range 1")',
    ]);
  });
});
