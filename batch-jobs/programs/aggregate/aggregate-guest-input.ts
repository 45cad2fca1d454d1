import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import type { BootInfo } from '../../../lambdas/core/executor/range-contract.js';

/** One range proof as the aggregate guest reads it (the fields of a RangeResult it checks). */
export interface RangeProofInput {
  start: string;
  end: string;
  bootInfo: BootInfo;
  publicValues: Hex;
  proof: Hex;
  vkey: Hex;
}

/** What the aggregate host hands the aggregate guest: plain JSON. */
export interface AggregateGuestInput {
  /** Decimal span the request claims: the first range's start and the last range's end. */
  start: string;
  end: string;
  ranges: RangeProofInput[];
  /** Range vkey every range proof must verify under (the oracle's rangeVkeyCommitment). */
  rangeVkey: Hex;
  /** The L1 block the oracle checkpointed (`checkpointBlockHash`). */
  checkpoint: { l1BlockNumber: string; l1BlockHash: Hex };
  /** L1 headers from the oldest range l1Head's block up to the checkpointed block (inclusive). */
  l1Headers: RpcBlockHeader[];
  proverAddress: Hex;
}
