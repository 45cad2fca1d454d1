import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lambdas/adapters/memory/manual-clock.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import {
  acquireSignerLease,
  releaseSignerLease,
  signerLeaseId,
} from '../../../lambdas/chain/tx-manager/signer-lease.js';
import { recordingStore } from '../core/orchestrator/recording-store.js';

const signer = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;

describe('acquireSignerLease', () => {
  it('lets exactly one of two concurrent acquirers win', async () => {
    // Prepare
    const store = new MemoryStateStore({ delayTurns: () => 2 });
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    // Act
    const results = await Promise.all(
      ['a', 'b'].map((owner) => acquireSignerLease(store, { signer, owner, leaseSeconds: 60, clock })),
    );
    // Assess
    expect(results.map((r) => r.status).sort()).toEqual(['acquired', 'busy']);
    expect((await store.get(signerLeaseId(signer)))?.status).toBe('held');
  });

  it('takes over an expired lease, and a released one at once', async () => {
    // Prepare
    const store = new MemoryStateStore();
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    await acquireSignerLease(store, { signer, owner: 'crashed', leaseSeconds: 60, clock });
    // Act
    const early = await acquireSignerLease(store, { signer, owner: 'next', leaseSeconds: 60, clock });
    clock.advanceSeconds(61);
    const late = await acquireSignerLease(store, { signer, owner: 'next', leaseSeconds: 60, clock });
    if (late.status !== 'acquired') throw new Error('expected the expired lease to be taken over');
    await releaseSignerLease(store, late.lease);
    const afterRelease = await acquireSignerLease(store, { signer, owner: 'third', leaseSeconds: 60, clock });
    // Assess
    expect(early).toMatchObject({ status: 'busy', owner: 'crashed' });
    expect(afterRelease.status).toBe('acquired');
  });

  it('takes a released lease with one read and one conditional write', async () => {
    // Prepare: the run before took the lease and released it.
    const memory = new MemoryStateStore();
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    const before = await acquireSignerLease(memory, { signer, owner: 'before', leaseSeconds: 60, clock });
    if (before.status !== 'acquired') throw new Error('expected the first run to take the lease');
    await releaseSignerLease(memory, before.lease);
    const { store, calls } = recordingStore(memory);

    // Act
    const next = await acquireSignerLease(store, { signer, owner: 'next', leaseSeconds: 60, clock });

    // Assess
    expect(next).toMatchObject({ status: 'acquired', lease: { owner: 'next', version: 3 } });
    expect(calls).toEqual([`get ${signerLeaseId(signer)}`, `replace ${signerLeaseId(signer)}`]);
  });

  it('gives back the handover of a release only to the acquire that takes the lease straight from it', async () => {
    // Prepare
    const store = new MemoryStateStore();
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    const acquire = async (owner: string) => {
      const acquired = await acquireSignerLease(store, { signer, owner, leaseSeconds: 60, clock });
      if (acquired.status !== 'acquired') throw new Error(`expected ${owner} to take the lease`);
      return acquired;
    };
    const first = await acquire('first');
    await releaseSignerLease(store, first.lease, 'from first');
    // Act: the second takes it from the release, then crashes holding it; the third takes it after expiry
    const second = await acquire('second');
    clock.advanceSeconds(61);
    const third = await acquire('third');
    // Assess
    expect(first.handover).toBeUndefined();
    expect(second.handover).toBe('from first');
    expect((await store.get(signerLeaseId(signer)))?.data.handover).toBeUndefined();
    expect(third.handover).toBeUndefined();
  });
});
