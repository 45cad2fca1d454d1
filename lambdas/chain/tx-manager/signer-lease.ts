import type { Address } from 'viem';
import type { Clock } from '../../core/ports/clock.js';
import type { NewItem, StateStore } from '../../core/ports/state-store.js';

export const LEASE_KIND = 'lease';

/** A held lease: this invocation is the only writer for the signer until `expiresAt`. */
export interface SignerLease {
  readonly id: string;
  readonly signer: Address;
  readonly owner: string;
  readonly expiresAt: Date;
  readonly version: number;
}

export type LeaseAcquisition =
  | { readonly status: 'acquired'; readonly lease: SignerLease }
  | { readonly status: 'busy'; readonly owner: string; readonly expiresAt: Date };

/** `lease/<signer>` (lower-case address). */
export function signerLeaseId(signer: Address): string {
  return `lease/${signer.toLowerCase()}`;
}

function leaseItem(signer: Address, owner: string, expiresAt: Date): NewItem {
  return {
    id: signerLeaseId(signer),
    kind: LEASE_KIND,
    status: 'held',
    sortKey: signer.toLowerCase(),
    data: { owner, expiresAt: expiresAt.toISOString() },
  };
}

/**
 * Makes `owner` the only writer for `signer` for `leaseSeconds`: reads the lease, then one
 * conditional write — a create when there is none, a replace (on the version read) of an expired
 * or released one. A second concurrent invocation gets `busy` and must send nothing; two racing
 * acquirers cannot both win (single-item version checks). Reading first costs a steady run (the
 * lease exists, released by the run before) one read and one write, not a refused create as well;
 * the proposer's read comes in its run's batch read (`RunReads`).
 */
export async function acquireSignerLease(
  store: StateStore,
  parameters: { signer: Address; owner: string; leaseSeconds: number; clock: Clock },
): Promise<LeaseAcquisition> {
  const { signer, owner, leaseSeconds, clock } = parameters;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + leaseSeconds * 1000);
  const id = signerLeaseId(signer);
  for (;;) {
    const current = await store.get(id);
    if (current === undefined) {
      if (await store.create(leaseItem(signer, owner, expiresAt))) {
        return { status: 'acquired', lease: { id, signer, owner, expiresAt, version: 1 } };
      }
      // Another acquirer created it first: read theirs.
      continue;
    }
    const currentOwner = String(current.data.owner);
    const currentExpiry = new Date(String(current.data.expiresAt));
    if (current.status === 'held' && currentOwner !== owner && currentExpiry.getTime() > now.getTime()) {
      return { status: 'busy', owner: currentOwner, expiresAt: currentExpiry };
    }
    if (await store.replace(leaseItem(signer, owner, expiresAt), current.version)) {
      return { status: 'acquired', lease: { id, signer, owner, expiresAt, version: current.version + 1 } };
    }
    const winner = await store.get(id);
    return {
      status: 'busy',
      owner: String(winner?.data.owner ?? 'unknown'),
      expiresAt: new Date(String(winner?.data.expiresAt ?? now.toISOString())),
    };
  }
}

/** Gives the lease up (an expired or taken-over lease is left alone). */
export async function releaseSignerLease(store: StateStore, lease: SignerLease): Promise<boolean> {
  return store.replace(
    { ...leaseItem(lease.signer, lease.owner, new Date(0)), status: 'released' },
    lease.version,
  );
}
