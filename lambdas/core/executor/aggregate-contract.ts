import * as z from 'zod';
import { addressString, bytes32Hex, decimalString, hexBytes } from '../schema/primitives.js';
import { backendNameSchema } from './backend-name.js';
import { proofModeSchema } from './proof-mode.js';
import { rangeResultSchema } from './range-contract.js';

/** An L1 block whose hash the oracle stored with `checkpointBlockHash(n)`. */
export const l1CheckpointSchema = z.strictObject({
  l1BlockNumber: decimalString,
  l1BlockHash: bytes32Hex,
});

/** Aggregate program executor documents, version 1: many contiguous ranges into one proof. */
export const aggregateRequestSchema = z.strictObject({
  version: z.literal(1),
  program: z.literal('aggregate'),
  groupId: z.string().min(1),
  start: decimalString,
  end: decimalString,
  ranges: z.array(rangeResultSchema).min(1, 'at least one range proof'),
  checkpoint: l1CheckpointSchema,
  /** Range vkey every range proof must verify under (from the oracle's config). */
  rangeVkey: bytes32Hex,
  proverAddress: addressString,
  proofMode: proofModeSchema,
});

/** OP Succinct AggregationOutputs: what the oracle passes to `verifyProof`, ABI-encoded. */
export const aggregationOutputsSchema = z.strictObject({
  l1Head: bytes32Hex,
  l2PreRoot: bytes32Hex,
  claimRoot: bytes32Hex,
  claimBlockNum: decimalString,
  rollupConfigHash: bytes32Hex,
  rangeVkeyCommitment: bytes32Hex,
  proverAddress: addressString,
});

export const aggregateResultSchema = z.strictObject({
  version: z.literal(1),
  program: z.literal('aggregate'),
  start: decimalString,
  end: decimalString,
  outputs: aggregationOutputsSchema,
  /** ABI-encoded AggregationOutputs. */
  publicValues: hexBytes,
  proof: hexBytes,
  aggregationVkey: bytes32Hex,
  /** The checkpointed L1 block (`l1BlockNumber` argument of proposeL2Output). */
  l1BlockNumber: decimalString,
  backend: backendNameSchema,
  proofMode: proofModeSchema,
  cycles: z.number().int().min(0),
});

export type L1Checkpoint = z.output<typeof l1CheckpointSchema>;
export type AggregateRequest = z.output<typeof aggregateRequestSchema>;
export type AggregationOutputs = z.output<typeof aggregationOutputsSchema>;
export type AggregateResult = z.output<typeof aggregateResultSchema>;
