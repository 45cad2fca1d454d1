import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { devnetJson, expectRefused, issuesOf } from './cross-check-cases.js';

describe('collector.maxGasPerRange', () => {
  it.each([
    [3_000_000_000, '3000000000'],
    ['3000000000', '3000000000'],
    ['90000000000000000000', '90000000000000000000'],
  ])('reads %j as the decimal string %s', (written, read) => {
    // Prepare
    const raw = devnetJson();
    raw.stages[0].collector.maxGasPerRange = written;
    // Act
    const config = parsePipelineConfig(raw, 'test');
    // Assess
    expect(config.stages[0]!.collector).toMatchObject({ maxGasPerRange: read });
  });

  it.each([
    [0, 'stages[0].collector.maxGasPerRange: an integer ≥ 1 (got 0)'],
    ['0', 'stages[0].collector.maxGasPerRange: a decimal integer string ≥ 1 (got "0")'],
    ['30M', 'stages[0].collector.maxGasPerRange: a decimal integer string such as "1200" (got "30M")'],
    [
      1.5,
      'stages[0].collector.maxGasPerRange: a positive whole amount of gas, as a number or a decimal string such as "3000000000" (got 1.5)',
    ],
  ])('refuses %j, naming the stage’s path and the value', (written, issue) => {
    // Prepare
    const raw = devnetJson();
    raw.stages[0].collector.maxGasPerRange = written;
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toEqual([issue]);
  });

  it('refuses it on a stage with range keys, naming the stage', () => {
    expectRefused({
      check: 'maxGasPerRange on range keys',
      base: devnetJson,
      change: (raw) => {
        raw.stages[1].collector.maxGasPerRange = '100';
      },
      path: 'stages[1].collector.maxGasPerRange',
      value: '100',
      issue:
        'stages[1].collector.maxGasPerRange: got 100 on stage "aggregate" with range keys, expected it only with keyKind "block": a range message carries no gas (bound its group with groupSize or minSpan)',
    });
  });
});
