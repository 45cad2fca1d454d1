import { type Hex, keccak256, toHex } from 'viem';

/**
 * Stand-in program keys and rollup config hash for chain tests that do not run the programs
 * (non-zero, as the oracle requires).
 */
export const testProgramKeys: {
  readonly aggregationVkey: Hex;
  readonly rangeVkeyCommitment: Hex;
  readonly rollupConfigHash: Hex;
} = {
  aggregationVkey: keccak256(toHex('test aggregation vkey')),
  rangeVkeyCommitment: keccak256(toHex('test range vkey commitment')),
  rollupConfigHash: keccak256(toHex('test rollup config')),
};
