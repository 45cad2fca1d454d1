import * as z from 'zod';
import { bytes32Hex, decimalString, hexBytes } from '../schema/primitives.js';
import { backendNameSchema } from './backend-name.js';
import { proofModeSchema } from './proof-mode.js';

/**
 * Range program executor documents, version 1. A range `[start, end)` proves blocks start+1 … end
 * (OP Succinct convention). RPC endpoints are not in the document: the prover process reads them
 * from `L1_RPC_URLS` / `L2_RPC_URLS` (Batch job secrets), so no credentials land in S3.
 */
export const rangeRequestSchema = z.strictObject({
  version: z.literal(1),
  program: z.literal('range'),
  groupId: z.string().min(1),
  start: decimalString,
  end: decimalString,
  /**
   * L1 block the derivation may read up to; absent → the host takes the L1 block `l1HeadDepth`
   * below the L1 head it sees (the head itself when that is absent or 0).
   */
  l1Head: bytes32Hex.optional(),
  /** The stage's `executor.l1HeadDepth`, for the host to resolve `l1Head` with. */
  l1HeadDepth: z.number().int().min(0).optional(),
  rollupConfigHash: bytes32Hex,
  proofMode: proofModeSchema,
  /** Block hashes the watcher saw, checked by the host against what it fetches (reorg guard). */
  blocks: z
    .array(z.strictObject({ number: decimalString, hash: bytes32Hex, parentHash: bytes32Hex }))
    .optional(),
});

/** SP1 BootInfo: the range program's public values. */
export const bootInfoSchema = z.strictObject({
  l1Head: bytes32Hex,
  l2PreRoot: bytes32Hex,
  l2PostRoot: bytes32Hex,
  l2BlockNumber: decimalString,
  rollupConfigHash: bytes32Hex,
});

export const rangeResultSchema = z.strictObject({
  version: z.literal(1),
  program: z.literal('range'),
  start: decimalString,
  end: decimalString,
  bootInfo: bootInfoSchema,
  /** ABI-encoded BootInfo, exactly what the proof commits. */
  publicValues: hexBytes,
  /** Proof bytes; `0x` under the mock backend (SP1 mock proofs are empty). */
  proof: hexBytes,
  /** Range program verifying key hash (bytes32). */
  vkey: bytes32Hex,
  backend: backendNameSchema,
  proofMode: proofModeSchema,
  cycles: z.number().int().min(0),
});

export type RangeRequest = z.output<typeof rangeRequestSchema>;
export type RangeResult = z.output<typeof rangeResultSchema>;
export type BootInfo = z.output<typeof bootInfoSchema>;
