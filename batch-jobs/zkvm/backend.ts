import type { Hex } from '../../lambdas/chain/hex-bytes.js';
import type { BackendName } from '../../lambdas/core/executor/backend-name.js';
import type { Program, ProofMode } from './program.js';

/** The result of running a guest without proving. */
export interface Execution {
  publicValues: Hex;
  /** Work units counted while executing (mock: ops; SP1: RISC-V cycles). */
  cycles: number;
}

/** A proof with everything needed to verify it. Mock proofs have empty bytes `0x`. */
export interface ProofArtifact {
  proof: Hex;
  publicValues: Hex;
  vkey: Hex;
  mode: ProofMode;
  cycles: number;
}

/**
 * A zkVM backend. Implementations: `backends/mock-backend.ts` (executes the TS guest, SP1 mock
 * semantics) and `backends/binary-backend.ts` (an external prover executable, e.g. SP1 on GPU).
 */
export interface ZkvmBackend {
  readonly name: BackendName;
  setup<Input>(program: Program<Input>): Promise<{ vkey: Hex }>;
  execute<Input>(program: Program<Input>, input: Input): Promise<Execution>;
  prove<Input>(program: Program<Input>, input: Input, mode: ProofMode): Promise<ProofArtifact>;
  /** Resolves when `artifact` verifies under `vkey`; throws `ProverBackendError` naming why not. */
  verify(artifact: ProofArtifact, vkey: Hex): Promise<void>;
}
