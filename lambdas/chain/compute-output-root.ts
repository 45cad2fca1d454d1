import type { Client, Hex } from 'viem';
import { getBlock, getProof } from 'viem/actions';
import { messagePasserAddress } from './message-passer.js';
import { outputRootFromParts } from './output-root-from-parts.js';

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
 * The OP output root (v0) of L2 block `blockNumber`, from its header and `eth_getProof` of the message
 * passer predeploy (its `storageHash`).
 *
 * @example
 * const { outputRoot } = await computeOutputRoot(l2Client, 120n);
 */
export async function computeOutputRoot(client: Client, blockNumber: bigint): Promise<OutputRootAtBlock> {
  const block = await getBlock(client, { blockNumber, includeTransactions: false });
  const proof = await getProof(client, { address: messagePasserAddress, storageKeys: [], blockNumber });
  const parts = {
    stateRoot: block.stateRoot,
    messagePasserStorageRoot: proof.storageHash,
    blockHash: block.hash,
  };
  return {
    outputRoot: outputRootFromParts(parts),
    ...parts,
    blockNumber: block.number,
    timestamp: block.timestamp,
  };
}
