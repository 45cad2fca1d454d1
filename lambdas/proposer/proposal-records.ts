import type { Hex } from 'viem';
import { proposalId, sortKeyOf } from '../core/messages/ids.js';
import type { NewItem, StateStore } from '../core/ports/state-store.js';

export const PROPOSAL_KIND = 'proposal';

export type ProposalStatus = 'sending' | 'proposed' | 'failed';

export interface ProposalData {
  readonly messageId: string;
  readonly outputRoot: Hex;
  readonly l1BlockNumber: string;
  readonly txHash?: Hex;
  readonly gasUsed?: string;
  readonly reason?: string;
}

export function proposalItem(l2BlockNumber: bigint, status: ProposalStatus, data: ProposalData): NewItem {
  return {
    id: proposalId(l2BlockNumber),
    kind: PROPOSAL_KIND,
    status,
    sortKey: sortKeyOf(l2BlockNumber),
    data: { ...data },
  };
}

/**
 * Claims `proposal/<l2Block>` for sending: a conditional create in `sending`. An existing item is
 * taken over with a version-checked replace: the caller holds the signer lease and has just read
 * that the oracle does not hold this block, so the item is a crashed run's (`sending`: the tx
 * manager resumes its recorded tx, same intent, instead of signing a new one) or a failed attempt.
 * @returns the claimed item's version, or undefined when another writer changed it first.
 */
export async function claimProposal(
  store: StateStore,
  l2BlockNumber: bigint,
  data: ProposalData,
): Promise<{ version: number; previousStatus?: string } | undefined> {
  const item = proposalItem(l2BlockNumber, 'sending', data);
  if (await store.create(item)) return { version: 1 };
  const existing = await store.get(item.id);
  if (existing === undefined) return undefined;
  if (!(await store.replace(item, existing.version))) return undefined;
  return { version: existing.version + 1, previousStatus: existing.status };
}

/** Moves a claimed proposal to its final status (`proposed` or `failed`). */
export async function settleProposal(
  store: StateStore,
  l2BlockNumber: bigint,
  version: number,
  status: Exclude<ProposalStatus, 'sending'>,
  data: ProposalData,
): Promise<boolean> {
  return store.replace(proposalItem(l2BlockNumber, status, data), version);
}
