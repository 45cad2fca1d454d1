import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { z } from 'zod';
import { type Hex, toHex } from '../../lambdas/chain/hex-bytes.js';
import type { proofModeSchema } from '../../lambdas/core/executor/proof-mode.js';
import type { Guest } from './guest.js';

/** SP1 proof modes: `compressed` for ranges (recursively verifiable), `groth16`/`plonk` for L1. */
export type ProofMode = z.output<typeof proofModeSchema>;

/**
 * A program: what a zkVM proves. `id` + `version` name the guest build; `vkey` is the verifying key
 * hash a backend derives for it under mock semantics (`programVkey`). A binary backend may return a
 * different vkey from its own `setup`.
 */
export interface Program<Input> {
  readonly id: string;
  readonly version: string;
  readonly guest: Guest<Input>;
  readonly vkey: Hex;
}

/**
 * Deterministic mock verifying key of a program: `sha256("<id>@<version>")` as bytes32.
 *
 * @example programVkey('range', '1') // 0x…(32 bytes)
 */
export function programVkey(id: string, version: string): Hex {
  return toHex(sha256(utf8ToBytes(`${id}@${version}`)));
}

/** Builds a program, deriving its mock vkey from id and version. */
export function defineProgram<Input>(id: string, version: string, guest: Guest<Input>): Program<Input> {
  return { id, version, guest, vkey: programVkey(id, version) };
}
