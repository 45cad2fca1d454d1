import { encodeAbiParameters, type Hex, keccak256 } from 'viem';

/** Output root version 0 of the OP specs (`bytes32(0)`). */
export const outputRootVersion0: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000';

export interface OutputRootParts {
  readonly stateRoot: Hex;
  readonly messagePasserStorageRoot: Hex;
  readonly blockHash: Hex;
}

/**
 * OP output root v0: `keccak256(abi.encode(bytes32(0), stateRoot, messagePasserStorageRoot, blockHash))`.
 */
export function outputRootFromParts(parts: OutputRootParts): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
      [outputRootVersion0, parts.stateRoot, parts.messagePasserStorageRoot, parts.blockHash],
    ),
  );
}
