import type { AggregateRequest, AggregateResult } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { ZkvmBackend } from '../../zkvm/backend.js';
import type { Host } from '../../zkvm/host.js';
import type { AggregateGuestInput } from './aggregate-guest-input.js';
import { aggregateProgram } from './aggregate-program.js';
import { decodeAggregationOutputs } from './aggregation-outputs.js';

/**
 * Runs an aggregate request end to end: host → backend.prove → AggregateResult document (the
 * aggregate prover binary's output). `l1BlockNumber` is the checkpointed block proposeL2Output names.
 */
export async function proveAggregate(
  request: AggregateRequest,
  deps: { host: Host<AggregateRequest, AggregateGuestInput>; backend: ZkvmBackend },
): Promise<AggregateResult> {
  const input = await deps.host.prepareInput(request);
  const artifact = await deps.backend.prove(aggregateProgram, input, request.proofMode);
  return {
    version: 1,
    program: 'aggregate',
    start: request.start,
    end: request.end,
    outputs: decodeAggregationOutputs(artifact.publicValues),
    publicValues: artifact.publicValues,
    proof: artifact.proof,
    aggregationVkey: artifact.vkey,
    l1BlockNumber: request.checkpoint.l1BlockNumber,
    backend: deps.backend.name,
    proofMode: artifact.mode,
    cycles: artifact.cycles,
  };
}
