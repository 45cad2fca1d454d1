import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors.js';
import type { StoredItem } from '../../../lambdas/core/ports/state-store.js';
import { parseProposalItem, proposalItem } from '../../../lambdas/proposer/proposal-records.js';

const root = `0x${'ab'.repeat(32)}` as const;
const tx = `0x${'cd'.repeat(32)}` as const;

function stored(item: ReturnType<typeof proposalItem>, id = item.id): StoredItem {
  return { ...item, id, version: 3, updatedAt: '2026-01-01T00:00:00.000Z' } as StoredItem;
}

describe('parseProposalItem', () => {
  it('reads a reorged proposal back with its block, why, and the tx that had proposed it', () => {
    // Prepare
    const data = {
      messageId: 'aggregate-proofs/0-8',
      outputRoot: root,
      l1BlockNumber: '12',
      reason: 'left',
      reorgedTxHash: tx,
    };
    // Act
    const parsed = parseProposalItem(stored(proposalItem(8n, 'reorged', data)));
    // Assess
    expect(parsed).toEqual({ l2BlockNumber: 8n, status: 'reorged', version: 3, data });
  });

  it.each([
    ['a bad output root', { outputRoot: '0x12' }, 'proposal/8', /outputRoot/],
    ['an id without a block', {}, 'proposal/x', /proposal\/<l2Block>/],
  ])('refuses %s, naming it', (_what, change, id, issue) => {
    // Prepare
    const item = proposalItem(8n, 'proposed', {
      messageId: 'aggregate-proofs/0-8',
      outputRoot: root,
      l1BlockNumber: '12',
      ...change,
    } as never);
    // Act + Assess
    expect(() => parseProposalItem(stored(item, id))).toThrow(InvalidInputError);
    expect(() => parseProposalItem(stored(item, id))).toThrow(issue);
  });
});
