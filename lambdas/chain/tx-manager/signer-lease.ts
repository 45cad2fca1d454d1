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
  | {
      readonly status: 'acquired';
      readonly lease: SignerLease;
      /** What the previous holder's release handed over (`releaseSignerLease`), when it did. */
      readonly handover?: string;
    }
  | { readonly status: 'busy'; readonly owner: string; readonly expiresAt: Date };

/** `lease/<signer>` (lower-case address). */
export function signerLeaseId(signer: Address): string {
  return `lease/${signer.toLowerCase()}`;
}

function leaseItem(signer: Address, owner: string, expiresAt: Date, handover?: string): NewItem {
  return {
    id: signerLeaseId(signer),
    kind: LEASE_KIND,
    status: 'held',
    sortKey: signer.toLowerCase(),
    data: { owner, expiresAt: expiresAt.toISOString(), ...(handover === undefined ? {} : { handover }) },
  };
}

/**
 * Makes `owner` the only writer for `signer` for `leaseSeconds`: reads the lease, then one
 * conditional write — a create when there is none, a replace (on the version read) of an expired
 * or released one. A second concurrent invocation gets `busy` and must send nothing; two racing
 * acquirers cannot both win (single-item version checks). Reading first costs a steady run (the
 * lease exists, released by the run before) one read and one write, not a refused create as well;
 * the proposer's read comes in its run's batch read (`RunReads`).
 *
 * `handover` is the released lease's `data.handover` (`releaseSignerLease`), given only when this
 * acquire replaced, on its version, the very item that release wrote: so no one held the lease
 * between the release and this acquire, and what only the lease holder writes is as the releasing
 * holder left it. The acquire's own write drops it, so a holder that crashes hands nothing over.
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
      const lease = { id, signer, owner, expiresAt, version: current.version + 1 };
      const handover = current.status === 'released' ? current.data.handover : undefined;
      return typeof handover === 'string'
        ? { status: 'acquired', lease, handover }
        : { status: 'acquired', lease };
    }
    const winner = await store.get(id);
    return {
      status: 'busy',
      owner: String(winner?.data.owner ?? 'unknown'),
      expiresAt: new Date(String(winner?.data.expiresAt ?? now.toISOString())),
    };
  }
}

/**
 * Gives the lease up (an expired or taken-over lease is left alone: the replace is on the version
 * this holder's acquire wrote), with an optional `handover` for the next holder (`acquireSignerLease`):
 * a string the next acquirer gets back only if nothing wrote the lease in between.
 */
export async function releaseSignerLease(
  store: StateStore,
  lease: SignerLease,
  handover?: string,
): Promise<boolean> {
  return store.replace(
    { ...leaseItem(lease.signer, lease.owner, new Date(0), handover), status: 'released' },
    lease.version,
  );
}
