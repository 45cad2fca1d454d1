import type { Client, Hex } from 'viem';
import { fetchBlockHeader } from './fetch-block-header.js';
import { fetchMessagePasserProof } from './fetch-message-passer-proof.js';
import { MessagePasserProofError } from './message-passer-proof-error.js';
import { outputRootV0 } from './output-root.js';

export interface OutputRootAtBlock {
  readonly outputRoot: Hex;
  readonly stateRoot: Hex;
  readonly messagePasserStorageRoot: Hex;
  readonly blockHash: Hex;
  readonly blockNumber: bigint;
  /** L2 block timestamp (seconds). */
  readonly timestamp: bigint;
}

/**
 * The OP output root (v0) of L2 block `blockNumber`: its header, then the message passer's account
 * proof at that header's block hash, verified against the header's stateRoot (the same computation
 * the range program proves).
 *
 * @throws MessagePasserProofError when the block is unknown or the proof does not belong to it.
 * @example
 * const { outputRoot } = await computeOutputRoot(l2Client, 120n);
 */
export async function computeOutputRoot(client: Client, blockNumber: bigint): Promise<OutputRootAtBlock> {
  const header = await fetchBlockHeader(client, 'L2', blockNumber);
  if (header === undefined)
    throw new MessagePasserProofError(`L2 block ${blockNumber} not found on the RPC node`);
  const { storageRoot } = await fetchMessagePasserProof(client, header);
  const stateRoot = header.stateRoot as Hex;
  const blockHash = header.hash as Hex;
  return {
    outputRoot: outputRootV0(stateRoot, storageRoot, blockHash),
    stateRoot,
    messagePasserStorageRoot: storageRoot,
    blockHash,
    blockNumber: BigInt(header.number),
    timestamp: BigInt(header.timestamp),
  };
}
