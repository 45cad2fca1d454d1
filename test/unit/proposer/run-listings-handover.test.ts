import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import {
  decodeListingsHandover,
  encodeListingsHandover,
  LISTINGS_HANDOVER_MAX_CHARS,
} from '../../../lambdas/proposer/run-listings-handover.js';

const item = (nonce: number, data: Record<string, unknown> = { nonce }) => ({
  id: `tx/0xabc/${nonce}`,
  kind: 'tx',
  status: 'mined',
  sortKey: String(nonce).padStart(20, '0'),
  version: 2,
  data,
  updatedAt: '',
});

describe('the listings a proposer run hands over in its lease release', () => {
  it('round-trips listings, and hands over nothing above the size limit', () => {
    // Prepare
    const listings = [
      { kind: 'tx', status: 'mined', from: '', items: [item(1), { ...item(2), expiresAt: 9 }] },
    ];
    const big = [
      {
        kind: 'tx',
        status: 'mined',
        from: '',
        items: [item(3, { raw: 'f'.repeat(LISTINGS_HANDOVER_MAX_CHARS) })],
      },
    ];
    const logger = new MemoryLogger();
    // Act
    const text = encodeListingsHandover(listings);
    const decoded = decodeListingsHandover(text, { logger, leaseId: 'lease/0xabc' });
    // Assess
    expect(decoded).toEqual(listings);
    expect(encodeListingsHandover(big)).toBeUndefined();
    expect(logger.entries).toEqual([]);
  });

  it('reads a malformed handover as none, naming the lease item and the field', () => {
    // Prepare
    const logger = new MemoryLogger();
    const bad = JSON.stringify({
      version: 1,
      listings: [{ kind: 'tx', status: 'mined', from: '', items: [{ id: 1 }] }],
    });
    // Act
    const decoded = [bad, '{not json', undefined].map((text) =>
      decodeListingsHandover(text, { logger, leaseId: 'lease/0xabc' }),
    );
    // Assess
    expect(decoded).toEqual([[], [], []]);
    expect(logger.entries.map((e) => e.attributes?.leaseId)).toEqual(['lease/0xabc', 'lease/0xabc']);
    expect(String(logger.entries[0]?.attributes?.issues)).toContain('handover.listings[0].items[0].id');
  });
});
