import type { Hex } from '../../lambdas/chain/hex-bytes.js';

/**
 * What the zkVM offers a guest while it runs: an op counter (the mock's "cycles") and recursive proof
 * verification (SP1 `verify_sp1_proof`), answered by the backend executing the guest.
 */
export interface GuestEnv {
  /** Records `ops` units of work (hashes, checks); the backend reports the sum as cycles. */
  count(ops: number): void;
  /** True when `proof` proves `publicValues` under `vkey` in this backend's proof system. */
  verifyProof(vkey: Hex, publicValues: Hex, proof: Hex): boolean;
}

/**
 * Guest program logic: a pure function from its input (plain JSON values) to the ABI-encoded public
 * values it commits. It throws `GuestRejectedError` naming the failed check. No I/O, no viem, no SDK.
 */
export type Guest<Input> = (input: Input, env: GuestEnv) => Hex;
