import { type Hex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import type { AggregationOutputs } from '../../../lambdas/core/executor/aggregate-contract.js';
import { encodeStaticWords, splitStaticWords, wordToAddress, wordToUint } from '../encoding/abi-words.js';

/**
 * `abi.encode(AggregationOutputs)`: l1Head, l2PreRoot, claimRoot, claimBlockNum, rollupConfigHash,
 * rangeVkeyCommitment, proverAddress — seven static words, what the oracle hands `verifyProof`.
 */
export function encodeAggregationOutputs(outputs: AggregationOutputs): Hex {
  return encodeStaticWords([
    { bytes32: outputs.l1Head },
    { bytes32: outputs.l2PreRoot },
    { bytes32: outputs.claimRoot },
    { uint: BigInt(outputs.claimBlockNum) },
    { bytes32: outputs.rollupConfigHash },
    { bytes32: outputs.rangeVkeyCommitment },
    { address: outputs.proverAddress },
  ]);
}

/** Decodes aggregate public values back into an AggregationOutputs document. */
export function decodeAggregationOutputs(publicValues: string): AggregationOutputs {
  const [l1Head, l2PreRoot, claimRoot, claimBlockNum, rollupConfigHash, rangeVkeyCommitment, proverAddress] =
    splitStaticWords(publicValues, 7, 'aggregate public values (AggregationOutputs)') as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
  return {
    l1Head: toHex(l1Head),
    l2PreRoot: toHex(l2PreRoot),
    claimRoot: toHex(claimRoot),
    claimBlockNum: wordToUint(claimBlockNum).toString(10),
    rollupConfigHash: toHex(rollupConfigHash),
    rangeVkeyCommitment: toHex(rangeVkeyCommitment),
    proverAddress: wordToAddress(proverAddress),
  };
}
