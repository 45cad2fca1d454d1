import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { fromHex, type Hex, toHex } from '../hex-bytes.js';

/**
 * OP output root, version 0: keccak256(bytes32(0) ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash).
 */
export function outputRootV0(stateRoot: string, messagePasserStorageRoot: string, blockHash: string): Hex {
  return toHex(
    keccak_256(
      concatBytes(
        new Uint8Array(32),
        fromHex(stateRoot, 'stateRoot'),
        fromHex(messagePasserStorageRoot, 'messagePasserStorageRoot'),
        fromHex(blockHash, 'blockHash'),
      ),
    ),
  );
}
