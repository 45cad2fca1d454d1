import { afterAll, beforeAll } from 'vitest';
import { createAggregateHost } from '../../../batch-jobs/programs/aggregate/aggregate-host.js';
import { proveRange } from '../../../batch-jobs/programs/range/prove-range.js';
import { createRangeHost } from '../../../batch-jobs/programs/range/range-host.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import type { AggregateRequest } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { RangeRequest, RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import { devnetRollupConfigPath, type ProgramDevnet, startProgramDevnet } from './program-devnet.js';

export const backend = createMockBackend();
export const proposer = devAccount(devAccountRoles.proposer);

type RangeHost = ReturnType<typeof createRangeHost>;
type AggregateHost = ReturnType<typeof createAggregateHost>;

/** The program devnet of the calling `describe` and requests, hosts and proofs over it (use inside it/test). */
export interface RangeAggregateDevnet {
  readonly devnet: () => ProgramDevnet;
  /** A compressed range request for (start, end] under the devnet rollup config. */
  readonly rangeRequest: (start: bigint, end: bigint, extra?: Partial<RangeRequest>) => RangeRequest;
  /** A range host on the devnet chains. */
  readonly rangeHost: (rollupConfigPath?: string) => RangeHost;
  /** Proves `request` with the mock backend. */
  readonly prove: (request: RangeRequest, rollupConfigPath?: string) => Promise<RangeResult>;
  /** A groth16 aggregate request over `ranges`, checkpointed at the latest L1 block. */
  readonly checkpointRequest: (ranges: RangeResult[]) => Promise<AggregateRequest>;
  readonly aggregateHost: () => AggregateHost;
}

/**
 * Registers hooks in the calling `describe` that start a program devnet (submission interval 4) once:
 * L2 blocks start+1..start+4 carry withdrawals, start+5..start+8 do not, then three empty L1 blocks.
 */
export function useRangeAggregateDevnet(): RangeAggregateDevnet {
  let started: ProgramDevnet | undefined;

  beforeAll(async () => {
    started = await startProgramDevnet(4);
    await started.mineL2(4, true);
    await started.mineL2(4, false);
    await started.mineL1(3);
  });

  afterAll(async () => {
    await started?.chains.stop();
  });

  const devnet = () => {
    if (started === undefined) throw new Error('the program devnet is not running (use inside it/test)');
    return started;
  };
  const rangeRequest = (start: bigint, end: bigint, extra: Partial<RangeRequest> = {}): RangeRequest => ({
    version: 1,
    program: 'range',
    groupId: `range/${start}-${end}`,
    start: String(start),
    end: String(end),
    rollupConfigHash: devnet().rollupConfigHash,
    proofMode: 'compressed',
    ...extra,
  });
  const rangeHost = (rollupConfigPath = devnetRollupConfigPath): RangeHost =>
    createRangeHost({ l1: devnet().l1, l2: devnet().l2, rollupConfigPath });
  const prove = (request: RangeRequest, rollupConfigPath = devnetRollupConfigPath): Promise<RangeResult> =>
    proveRange(request, { host: rangeHost(rollupConfigPath), backend });
  const checkpointRequest = async (ranges: RangeResult[]): Promise<AggregateRequest> => {
    const l1Head = await devnet().l1.getBlock({ blockTag: 'latest' });
    const first = ranges[0] as RangeResult;
    const last = ranges[ranges.length - 1] as RangeResult;
    return {
      version: 1,
      program: 'aggregate',
      groupId: `aggregate/${first.start}-${last.end}`,
      start: first.start,
      end: last.end,
      ranges,
      checkpoint: { l1BlockNumber: String(l1Head.number), l1BlockHash: l1Head.hash },
      rangeVkey: rangeProgram.vkey,
      proverAddress: proposer.address,
      proofMode: 'groth16',
    };
  };
  const aggregateHost = () => createAggregateHost({ l1: devnet().l1 });
  return { devnet, rangeRequest, rangeHost, prove, checkpointRequest, aggregateHost };
}
