import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import type { StoredItem } from '../../lambdas/core/ports/state-store.js';
import type { ProofRoots } from './proof-roots.js';
import type { SubmitRecord } from './recording-job-runner.js';

/** What the checker looks at after a seed's run (the store's items and the runner's records). */
export interface ChaosSnapshot {
  readonly config: PipelineConfig;
  readonly items: readonly StoredItem[];
  /** The last block the watcher published (blocks origin+1..head). */
  readonly head: bigint;
  readonly calls: readonly SubmitRecord[];
  /** What the job runner says of a job name (`active`, `succeeded`, …). */
  readonly jobState: (name: string) => string;
  readonly now: Date;
  /** Prover-class faults the executor injected on a group's jobs (crash, bad output, hang). */
  readonly proverFaults: (groupId: string) => number;
  /** The simulated oracle's outputs (L2 blocks, origin first). */
  readonly oracleOutputs: readonly bigint[];
  /** The output root the oracle holds for each of `oracleOutputs` (undefined for the origin). */
  readonly oracleRoots: readonly (string | undefined)[];
  /** The L2 node's canonical chain at the end: a block's hash and output root. */
  readonly canonical: { readonly hash: (n: bigint) => string; readonly root: (n: bigint) => string };
  /** Every proof message with the roots it claims. */
  readonly proofs: readonly ProofRoots[];
}
