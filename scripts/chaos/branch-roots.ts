import { encodeAggregationOutputs } from '../../batch-jobs/programs/aggregate/aggregation-outputs.js';
import { encodeBootInfo } from '../../batch-jobs/programs/range/boot-info.js';
import type { MemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.js';
import type { AggregateRequest, AggregateResult } from '../../lambdas/core/executor/aggregate-contract.js';
import type { RangeRequest, RangeResult } from '../../lambdas/core/executor/range-contract.js';
import type { JobSpec } from '../../lambdas/core/ports/job-runner.js';
import { outputRootOf } from './simulated-l2.js';

/**
 * Gives the synthetic result at the job's output key the output roots of the branch its input was
 * on, as a real prover's would be: a range claims the roots of the block hashes in its request (its
 * first block's parent and its last block), an aggregate the first range's pre-root and the last
 * range's post-root. So a proof built on an old branch's blocks carries that branch's roots up the
 * pipeline, where the proposer's output-root check and the checker can see them.
 */
export async function giveBranchRoots(blobs: MemoryBlobStore, spec: JobSpec): Promise<void> {
  const input = await blobs.getJson(spec.inputKey);
  const result = await blobs.getJson(spec.outputKey);
  if (spec.executor.program === 'range') {
    const { blocks = [] } = input as RangeRequest;
    if (blocks.length === 0) throw new Error(`range job ${spec.name}: its request carries no blocks`);
    const range = result as RangeResult;
    const bootInfo = {
      ...range.bootInfo,
      l2PreRoot: outputRootOf(blocks[0]!.parentHash),
      l2PostRoot: outputRootOf(blocks[blocks.length - 1]!.hash),
    };
    await blobs.putJson(spec.outputKey, { ...range, bootInfo, publicValues: encodeBootInfo(bootInfo) });
    return;
  }
  const { ranges } = input as AggregateRequest;
  const aggregate = result as AggregateResult;
  const outputs = {
    ...aggregate.outputs,
    l2PreRoot: ranges[0]!.bootInfo.l2PreRoot,
    claimRoot: ranges[ranges.length - 1]!.bootInfo.l2PostRoot,
  };
  await blobs.putJson(spec.outputKey, {
    ...aggregate,
    outputs,
    publicValues: encodeAggregationOutputs(outputs),
  });
}
