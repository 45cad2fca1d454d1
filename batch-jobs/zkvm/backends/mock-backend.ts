import { sameHex } from '../../../lambdas/chain/hex-bytes.js';
import type { Execution, ProofArtifact, ZkvmBackend } from '../backend.js';
import { ProverBackendError } from '../errors.js';
import type { GuestEnv } from '../guest.js';
import type { Program } from '../program.js';

/** SP1 mock proofs carry no bytes: the mock verifier contract accepts only `0x`. */
export const MOCK_PROOF = '0x';

/**
 * The mock backend (SP1 mock mode): really executes the guest, counts its ops as cycles, and emits
 * the public values with empty proof bytes. Recursive verification inside a guest accepts exactly
 * what this backend produces: empty proof bytes with well-formed public values.
 */
export function createMockBackend(): ZkvmBackend {
  return {
    name: 'mock',
    async setup(program) {
      return { vkey: program.vkey };
    },
    async execute(program, input) {
      return runGuest(program, input);
    },
    async prove(program, input, mode) {
      const { publicValues, cycles } = runGuest(program, input);
      return { proof: MOCK_PROOF, publicValues, vkey: program.vkey, mode, cycles };
    },
    async verify(artifact, vkey) {
      const problem = mockProofProblem(artifact, vkey);
      if (problem !== undefined) throw new ProverBackendError(`mock proof does not verify: ${problem}`);
    },
  };
}

function runGuest<Input>(program: Program<Input>, input: Input): Execution {
  let cycles = 0;
  const env: GuestEnv = {
    count(ops) {
      cycles += ops;
    },
    verifyProof(_vkey, publicValues, proof) {
      cycles += 1;
      return proof === MOCK_PROOF && isWholeWords(publicValues);
    },
  };
  const publicValues = program.guest(input, env);
  return { publicValues, cycles };
}

function mockProofProblem(artifact: ProofArtifact, vkey: string): string | undefined {
  if (!sameHex(artifact.vkey, vkey)) return `artifact vkey ${artifact.vkey} is not the expected ${vkey}`;
  if (artifact.proof !== MOCK_PROOF)
    return `proof bytes must be empty (0x), got ${artifact.proof.length / 2 - 1} bytes`;
  if (!isWholeWords(artifact.publicValues)) return 'public values are not ABI words';
  return undefined;
}

function isWholeWords(publicValues: string): boolean {
  return /^0x([0-9a-fA-F]{64})+$/.test(publicValues);
}
