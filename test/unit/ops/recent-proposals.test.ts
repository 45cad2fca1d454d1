import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { PROPOSAL_STATUSES, proposalItem } from '../../../lambdas/proposer/proposal-records.js';
import { readRecentProposals } from '../../../ops/commands/dashboard/recent-activity.js';

describe('recent proposals on the dashboard', () => {
  it('lists proposals in every status the proposer writes, a reorged one included, highest first', async () => {
    // Prepare: one proposal per status, L2 blocks 10, 20, 30, …
    const store = new MemoryStateStore();
    for (const [index, status] of PROPOSAL_STATUSES.entries()) {
      await store.create(
        proposalItem(BigInt((index + 1) * 10), status, {
          messageId: `aggregate-proofs/0-${(index + 1) * 10}`,
          outputRoot: `0x${'ab'.repeat(32)}`,
          l1BlockNumber: '7',
        }),
      );
    }
    // Act
    const recent = await readRecentProposals(store, 10);
    // Assess
    expect(recent.map((p) => p.status).sort()).toEqual([...PROPOSAL_STATUSES].sort());
    expect(recent.map((p) => p.status)).toContain('reorged');
    expect(recent.map((p) => p.l2Block)).toEqual(['40', '30', '20', '10']);
  });
});
