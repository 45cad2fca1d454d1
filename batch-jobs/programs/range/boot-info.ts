import { type Hex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import type { BootInfo } from '../../../lambdas/core/executor/range-contract.js';
import { encodeStaticWords, splitStaticWords, wordToUint } from '../encoding/abi-words.js';

/**
 * `abi.encode(BootInfoStruct)`: l1Head, l2PreRoot, l2PostRoot, l2BlockNumber, rollupConfigHash,
 * five static words — the range program's public values.
 */
export function encodeBootInfo(bootInfo: BootInfo): Hex {
  return encodeStaticWords([
    { bytes32: bootInfo.l1Head },
    { bytes32: bootInfo.l2PreRoot },
    { bytes32: bootInfo.l2PostRoot },
    { uint: BigInt(bootInfo.l2BlockNumber) },
    { bytes32: bootInfo.rollupConfigHash },
  ]);
}

/** Decodes range public values back into a BootInfo document. */
export function decodeBootInfo(publicValues: string): BootInfo {
  const [l1Head, l2PreRoot, l2PostRoot, l2BlockNumber, rollupConfigHash] = splitStaticWords(
    publicValues,
    5,
    'range public values (BootInfo)',
  ) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return {
    l1Head: toHex(l1Head),
    l2PreRoot: toHex(l2PreRoot),
    l2PostRoot: toHex(l2PostRoot),
    l2BlockNumber: wordToUint(l2BlockNumber).toString(10),
    rollupConfigHash: toHex(rollupConfigHash),
  };
}
