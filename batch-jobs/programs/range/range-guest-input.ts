import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';

/** What the range host hands the range guest: plain JSON, so an external prover can read it too. */
export interface RangeGuestInput {
  /** Decimal block numbers of the range `[start, end)`: proves blocks start+1 … end. */
  start: string;
  end: string;
  /** L1 block the derivation reads up to (host parameter; the L1 head on the devnet). */
  l1Head: Hex;
  /** rollupConfigHash the request claims. */
  rollupConfigHash: Hex;
  /** Exact bytes of the rollup config file the host read (the guest hashes them). */
  rollupConfig: Hex;
  /** L2 headers of blocks start … end (inclusive). */
  headers: RpcBlockHeader[];
  /**
   * `eth_getProof` `accountProof` nodes (RLP, root first) of the message passer at `start` and at
   * `end`; the guest verifies them against those headers' stateRoots and takes the storage roots from
   * the proven accounts.
   */
  preMessagePasserAccountProof: Hex[];
  postMessagePasserAccountProof: Hex[];
}
