import * as z from 'zod';
import { proofModeSchema as proofMode } from '../../../lambdas/core/executor/proof-mode.js';
import { bytes32Hex as bytes32, hexBytes as hex } from '../../../lambdas/core/schema/primitives.js';

/** A proof artifact as it crosses the binary prover contract. */
export const proofArtifactSchema = z.strictObject({
  proof: hex,
  publicValues: hex,
  vkey: bytes32,
  mode: proofMode,
  cycles: z.number().int().min(0),
});

/**
 * The zkVM binary prover contract, version 1: `<command…> --input-path req.json --output-path res.json`,
 * exit 0 with the response written, non-zero with a message on stderr otherwise (1: the program
 * rejected its input; 2: the request is malformed). This is the seam an SP1 GPU prover plugs into:
 * it receives the program id/version, the guest input (the host's JSON) and the proof mode.
 */
export const binaryProverRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({
    version: z.literal(1),
    action: z.literal('setup'),
    program: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }),
  }),
  z.strictObject({
    version: z.literal(1),
    action: z.literal('execute'),
    program: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }),
    input: z.unknown(),
  }),
  z.strictObject({
    version: z.literal(1),
    action: z.literal('prove'),
    program: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }),
    input: z.unknown(),
    proofMode,
  }),
  z.strictObject({
    version: z.literal(1),
    action: z.literal('verify'),
    artifact: proofArtifactSchema,
    vkey: bytes32,
  }),
]);

export const binaryProverResponseSchemas = {
  setup: z.strictObject({ vkey: bytes32 }),
  execute: z.strictObject({ publicValues: hex, cycles: z.number().int().min(0) }),
  prove: proofArtifactSchema,
  verify: z.strictObject({ valid: z.boolean(), reason: z.string().optional() }),
} as const;

export type BinaryProverRequest = z.output<typeof binaryProverRequestSchema>;
export type BinaryProverAction = BinaryProverRequest['action'];
