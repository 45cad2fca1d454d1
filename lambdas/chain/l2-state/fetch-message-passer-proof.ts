import type { Client } from 'viem';
import * as z from 'zod';
import { hexBytes as bytes, bytes32Hex } from '../../core/schema/primitives.js';
import { describeIssues } from '../../core/schema/schema-issues.js';
import { type Hex, sameHex } from '../hex-bytes.js';
import { messagePasserAddress } from './message-passer.js';
import { MessagePasserProofError } from './message-passer-proof-error.js';
import { messagePasserStorageRoot } from './message-passer-storage-root.js';
import { TrieProofError } from './trie/trie-proof-error.js';

const proofAnswerSchema = z.object({
  accountProof: z.array(bytes).min(1),
  storageHash: bytes32Hex,
});

/** The message passer's account proof at one block and the storage root it proves. */
export interface MessagePasserProof {
  /** `eth_getProof` `accountProof` nodes (RLP, root first). */
  readonly accountProof: Hex[];
  /** The storage root of the verified account. */
  readonly storageRoot: Hex;
}

/**
 * Fetches `eth_getProof` of the message passer at the block with hash `block.hash` (EIP-1898 block
 * identifier, so the answer cannot come from another block at the same height) and verifies it against
 * that header's `stateRoot`. The one place the pipeline reads the message-passer storage root.
 *
 * @throws MessagePasserProofError when the answer does not verify against the header, disagrees with
 * its own `storageHash`, or shows no message passer.
 * @example const { storageRoot } = await fetchMessagePasserProof(l2, header);
 */
export async function fetchMessagePasserProof(
  client: Client,
  block: { readonly hash: string; readonly number: string | bigint; readonly stateRoot: string },
): Promise<MessagePasserProof> {
  const where = `L2 block ${BigInt(block.number)} (${block.hash})`;
  const raw: unknown = await client.request({
    method: 'eth_getProof',
    params: [messagePasserAddress, [], { blockHash: block.hash as Hex }],
  });
  const parsed = proofAnswerSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MessagePasserProofError(
      `${where}: unexpected eth_getProof answer: ${describeIssues(parsed.error, raw).join('; ')}`,
    );
  }
  const accountProof = parsed.data.accountProof as Hex[];
  let storageRoot: Hex | undefined;
  try {
    storageRoot = messagePasserStorageRoot(block.stateRoot, accountProof);
  } catch (error) {
    if (!(error instanceof TrieProofError)) throw error;
    throw new MessagePasserProofError(
      `${where}: the message passer proof does not verify against the block's stateRoot ${block.stateRoot} ` +
        `(the node answered for another state?): ${error.message}`,
      { cause: error },
    );
  }
  if (storageRoot === undefined)
    throw new MessagePasserProofError(`${where}: the state has no message passer at ${messagePasserAddress}`);
  if (!sameHex(storageRoot, parsed.data.storageHash)) {
    throw new MessagePasserProofError(
      `${where}: eth_getProof says storageHash ${parsed.data.storageHash} but its account proof proves ${storageRoot}`,
    );
  }
  return { accountProof, storageRoot };
}
