import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors.js';
import type { StoredItem } from '../../../lambdas/core/ports/state-store.js';
import { checkpointItem, parseCheckpointItem } from '../../../lambdas/proposer/checkpoint-records.js';

const hash = `0x${'ab'.repeat(32)}` as const;

function stored(data: Record<string, unknown>): StoredItem {
  return {
    id: 'checkpoint/77',
    kind: 'checkpoint',
    status: 'stored',
    sortKey: '77',
    version: 1,
    updatedAt: '2024-05-01T12:00:00Z',
    data,
  } as StoredItem;
}

describe('checkpoint records', () => {
  it('round-trips a checkpoint through its item form', () => {
    // Prepare
    const item = checkpointItem({ l1BlockNumber: 77n, l1BlockHash: hash, txHash: hash });
    // Act
    const parsed = parseCheckpointItem({ ...item, version: 1 } as StoredItem);
    // Assess
    expect(item.id).toBe('checkpoint/77');
    expect(parsed).toEqual({ l1BlockNumber: 77n, l1BlockHash: hash, txHash: hash });
  });

  it.each([
    ['l1BlockNumber', { l1BlockNumber: 'seventy-seven', l1BlockHash: hash }],
    ['l1BlockNumber', { l1BlockHash: hash }],
    ['l1BlockHash', { l1BlockNumber: '77', l1BlockHash: '0x1234' }],
    ['txHash', { l1BlockNumber: '77', l1BlockHash: hash, txHash: 42 }],
  ])('refuses a stored checkpoint with a bad %s, naming the item and the field', (field, data) => {
    // Act
    const parsing = () => parseCheckpointItem(stored(data));
    // Assess
    expect(parsing).toThrow(InvalidInputError);
    expect(parsing).toThrow('checkpoint item checkpoint/77');
    expect(parsing).toThrow(`${field}:`);
  });
});
