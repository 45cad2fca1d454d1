import type { Hex } from 'viem';
import * as z from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { proposalId, sortKeyOf } from '../core/messages/ids.js';
import type { NewItem, StateStore, StoredItem } from '../core/ports/state-store.js';
import { parseItemData } from '../core/schema/parse-item-data.js';
import { bytes32Hex, decimalString } from '../core/schema/primitives.js';

export const PROPOSAL_KIND = 'proposal';

/**
 * `sending`: claimed, its tx in flight. `proposed`: the oracle holds its output at L1 depth
 * `proposer.confirmations` (the L2 rewind takes the highest as the proposed head). `reorged`: it
 * was `proposed`, then the oracle no longer held it at that depth (its tx left the canonical L1
 * chain): its message is pending again and it is proposed again. `failed`: the tx reverted or lost
 * its nonce.
 */
export type ProposalStatus = 'sending' | 'proposed' | 'reorged' | 'failed';

/** Every proposal status, for listing proposals in all states. */
export const PROPOSAL_STATUSES: readonly ProposalStatus[] = ['sending', 'proposed', 'reorged', 'failed'];

export interface ProposalData {
  readonly messageId: string;
  readonly outputRoot: Hex;
  readonly l1BlockNumber: string;
  readonly txHash?: Hex;
  readonly gasUsed?: string;
  readonly reason?: string;
  /** `reorged`: the tx that had proposed it before it left the canonical L1 chain. */
  readonly reorgedTxHash?: Hex;
}

const proposalDataSchema = z.object({
  messageId: z.string().min(1),
  outputRoot: bytes32Hex,
  l1BlockNumber: decimalString,
  txHash: bytes32Hex.optional(),
  gasUsed: decimalString.optional(),
  reason: z.string().optional(),
  reorgedTxHash: bytes32Hex.optional(),
});

/** A stored `proposal/<l2Block>` item, parsed. */
export interface StoredProposal {
  readonly l2BlockNumber: bigint;
  readonly status: ProposalStatus;
  readonly version: number;
  readonly data: ProposalData;
}

/**
 * Reads a stored proposal item.
 * @throws InvalidInputError naming the item id and the bad field (e.g. `outputRoot`).
 */
export function parseProposalItem(item: StoredItem): StoredProposal {
  const data = parseItemData(proposalDataSchema, item.data, 'proposal item', item.id, '');
  const block = item.id.slice(PROPOSAL_KIND.length + 1);
  if (!/^\d+$/.test(block)) {
    throw new InvalidInputError(`proposal item ${item.id}`, [
      `id: expected "${PROPOSAL_KIND}/<l2Block>", got "${item.id}"`,
    ]);
  }
  return {
    l2BlockNumber: BigInt(block),
    status: item.status as ProposalStatus,
    version: item.version,
    data: {
      messageId: data.messageId,
      outputRoot: data.outputRoot as Hex,
      l1BlockNumber: data.l1BlockNumber,
      ...(data.txHash === undefined ? {} : { txHash: data.txHash as Hex }),
      ...(data.gasUsed === undefined ? {} : { gasUsed: data.gasUsed }),
      ...(data.reason === undefined ? {} : { reason: data.reason }),
      ...(data.reorgedTxHash === undefined ? {} : { reorgedTxHash: data.reorgedTxHash as Hex }),
    },
  };
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

/** Moves a claimed proposal to its final status (`proposed` or `failed`), or a proposed one to `reorged`. */
export async function settleProposal(
  store: StateStore,
  l2BlockNumber: bigint,
  version: number,
  status: Exclude<ProposalStatus, 'sending'>,
  data: ProposalData,
): Promise<boolean> {
  return store.replace(proposalItem(l2BlockNumber, status, data), version);
}
