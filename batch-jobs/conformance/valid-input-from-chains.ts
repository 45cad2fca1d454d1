import { createPublicClient, http, type PublicClient } from 'viem';
import { rollupConfigHashOf } from '../../lambdas/core/config/rollup-config-hash.js';
import type { AggregateRequest } from '../../lambdas/core/executor/aggregate-contract.js';
import type { ExecutorRequest } from '../../lambdas/core/executor/program-contracts.js';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';
import type { RangeRequest } from '../../lambdas/core/executor/range-contract.js';
import { proveRange } from '../programs/range/prove-range.js';
import { createRangeHost } from '../programs/range/range-host.js';
import { rangeProgram } from '../programs/range/range-program.js';
import { createMockBackend } from '../zkvm/backends/mock-backend.js';

/** Prover address the conformance aggregate requests name (any address will do). */
const CONFORMANCE_PROVER = '0x0000000000000000000000000000000000000c0f';

/**
 * Builds a request the prover must accept from live chains: a range over the last two L2 blocks, or an
 * aggregate of two mock range proofs over the last four L2 blocks, checkpointed at the L1 head.
 */
export async function validInputFromChains(
  program: ProgramName,
  endpoints: { l1RpcUrl: string; l2RpcUrl: string; rollupConfigPath: string },
): Promise<ExecutorRequest> {
  const l1 = createPublicClient({ transport: http(endpoints.l1RpcUrl) }) as PublicClient;
  const l2 = createPublicClient({ transport: http(endpoints.l2RpcUrl) }) as PublicClient;
  const rollupConfigHash = await rollupConfigHashOf(endpoints.rollupConfigPath);
  const head = await l2.getBlockNumber({ cacheTime: 0 });
  const rangeRequest = (start: bigint, end: bigint): RangeRequest => ({
    version: 1,
    program: 'range',
    groupId: `range/${start}-${end}`,
    start: String(start),
    end: String(end),
    rollupConfigHash,
    proofMode: 'compressed',
  });
  if (program === 'range') {
    if (head < 2n)
      throw new Error(`the L2 at ${endpoints.l2RpcUrl} has ${head} blocks; the conformance range needs 2`);
    return rangeRequest(head - 2n, head);
  }
  if (head < 4n)
    throw new Error(`the L2 at ${endpoints.l2RpcUrl} has ${head} blocks; the conformance aggregate needs 4`);
  const deps = {
    host: createRangeHost({ l1, l2, rollupConfigPath: endpoints.rollupConfigPath }),
    backend: createMockBackend(),
  };
  const ranges = [
    await proveRange(rangeRequest(head - 4n, head - 2n), deps),
    await proveRange(rangeRequest(head - 2n, head), deps),
  ];
  const checkpoint = await l1.getBlock({ blockTag: 'latest' });
  const request: AggregateRequest = {
    version: 1,
    program: 'aggregate',
    groupId: `aggregate/${head - 4n}-${head}`,
    start: String(head - 4n),
    end: String(head),
    ranges,
    checkpoint: { l1BlockNumber: String(checkpoint.number), l1BlockHash: checkpoint.hash },
    rangeVkey: rangeProgram.vkey,
    proverAddress: CONFORMANCE_PROVER,
    proofMode: 'groth16',
  };
  return request;
}
