import type { PublicClient } from 'viem';
import { messagePasserAddress } from '../chain/message-passer.js';
import { fromHex, type Hex, toHex } from '../zkvm/hex-bytes.js';

/** The message passer's storage root (`eth_getProof` storageHash) at an L2 block. */
export async function fetchMessagePasserStorageRoot(l2: PublicClient, blockNumber: bigint): Promise<Hex> {
  const proof = await l2.getProof({ address: messagePasserAddress, storageKeys: [], blockNumber });
  return toHex(fromHex(proof.storageHash, `storageHash at L2 block ${blockNumber}`));
}
