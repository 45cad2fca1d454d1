import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { devnetJson, issuesOf } from './cross-check-cases.js';

const vkey = `0x${'11'.repeat(32)}`;

describe('proposer.expectedVkeys', () => {
  it('reads both vkeys when set', () => {
    // Prepare
    const raw = devnetJson();
    raw.proposer.expectedVkeys = { aggregationVkey: vkey, rangeVkeyCommitment: vkey };
    // Act
    const config = parsePipelineConfig(raw, 'test');
    // Assess
    expect(config.proposer.expectedVkeys).toEqual({ aggregationVkey: vkey, rangeVkeyCommitment: vkey });
  });

  it('refuses a vkey that is not bytes32 hex and a missing one, naming the field', () => {
    // Prepare
    const raw = devnetJson();
    raw.proposer.expectedVkeys = { aggregationVkey: '0x1234' };
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toEqual([
      'proposer.expectedVkeys.aggregationVkey: a 32-byte 0x-prefixed hex string (got "0x1234")',
      'proposer.expectedVkeys.rangeVkeyCommitment: Invalid input: expected string, received undefined (got nothing)',
    ]);
  });
});
