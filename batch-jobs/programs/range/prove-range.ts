import type { RangeRequest, RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import type { ZkvmBackend } from '../../zkvm/backend.js';
import type { Host } from '../../zkvm/host.js';
import { decodeBootInfo } from './boot-info.js';
import type { RangeGuestInput } from './range-guest-input.js';
import { rangeProgram } from './range-program.js';

/**
 * Runs a range request end to end: host prepares the guest input, the backend proves it, the
 * artifact becomes a RangeResult document (the range prover binary's output).
 *
 * @example
 * const result = await proveRange(request, { host: createRangeHost({ l1, l2, rollupConfigPath }), backend: createMockBackend() });
 */
export async function proveRange(
  request: RangeRequest,
  deps: { host: Host<RangeRequest, RangeGuestInput>; backend: ZkvmBackend },
): Promise<RangeResult> {
  const input = await deps.host.prepareInput(request);
  const artifact = await deps.backend.prove(rangeProgram, input, request.proofMode);
  return {
    version: 1,
    program: 'range',
    start: request.start,
    end: request.end,
    bootInfo: decodeBootInfo(artifact.publicValues),
    publicValues: artifact.publicValues,
    proof: artifact.proof,
    vkey: artifact.vkey,
    backend: deps.backend.name,
    proofMode: artifact.mode,
    cycles: artifact.cycles,
  };
}
