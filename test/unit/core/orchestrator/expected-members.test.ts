import { describe, expect, it } from 'vitest';
import { expectedMemberIds } from '../../../../lambdas/core/orchestrator/group/expected-members.js';
import { devnetConfig, withRangeCollector } from './orchestrator-fixture.js';

describe('expectedMemberIds', () => {
  const config = devnetConfig();

  it.each([
    ['aggregate/0-10', ['range-proofs/0-5', 'range-proofs/5-10']],
    ['aggregate/10-25', ['range-proofs/10-15', 'range-proofs/15-20', 'range-proofs/20-25']],
    // Not whole ranges of the range stage's groupSize (5)
    ['aggregate/0-12', undefined],
    // A block-keyed stage's group: its members are blocks, named by the collector's read-ahead
    ['range/0-5', undefined],
    ['unknown/0-10', undefined],
    ['aggregate/ten', undefined],
    ['aggregate', undefined],
  ])('names the members of %s as the producer cuts ranges', (groupId, expected) => {
    // Act / Assess
    expect(expectedMemberIds(config, groupId)).toEqual(expected);
  });

  it('names none past 32 members, nor when the producer sizes its ranges adaptively', () => {
    // Prepare: the range stage sized adaptively
    const adaptive = withRangeCollector(config, {
      strategy: 'sequential',
      keyKind: 'block',
      groupSize: 5,
      adaptiveSize: { sizeName: 'range', targetSeconds: 60, epochBlocks: 10, minBlocks: 5, maxBlocks: 5 },
    });

    // Act / Assess
    expect(expectedMemberIds(config, 'aggregate/0-165')).toBeUndefined();
    expect(expectedMemberIds(config, 'aggregate/0-160')).toHaveLength(32);
    expect(expectedMemberIds(adaptive, 'aggregate/0-10')).toBeUndefined();
  });
});
