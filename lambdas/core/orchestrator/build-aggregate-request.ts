import type { StageConfig } from '../config/schema.js';
import type { AggregateRequest, L1Checkpoint } from '../executor/aggregate-contract.js';
import { parseExecutorRequest } from '../executor/program-contracts.js';
import { rangeResultSchema } from '../executor/range-contract.js';
import type { GroupData } from './group-records.js';
import { loadMemberPayloads } from './load-member-payloads.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/** What the proposer supplies once it has checkpointed an L1 block for an aggregate group. */
export interface AggregateInputs {
  readonly checkpoint: L1Checkpoint;
  readonly rangeVkey: string;
  readonly proverAddress: string;
}

/**
 * Builds the aggregate executor input: the group's range results in block order (read from the
 * message payloads, or the blob store when they travelled by key) plus the L1 checkpoint.
 * @throws InvalidInputError naming the message and schema path of a payload that is not a RangeResult.
 */
export async function buildAggregateRequest(
  deps: OrchestratorDeps,
  stage: StageConfig,
  groupId: string,
  group: GroupData,
  inputs: AggregateInputs,
): Promise<AggregateRequest> {
  const ranges = await loadMemberPayloads(deps, groupId, group, rangeResultSchema, 'range-proof message');
  ranges.sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
  const request = {
    version: 1,
    program: 'aggregate',
    groupId,
    start: group.start,
    end: group.end,
    ranges,
    checkpoint: inputs.checkpoint,
    rangeVkey: inputs.rangeVkey,
    proverAddress: inputs.proverAddress,
    proofMode: stage.executor.proofMode,
  };
  return parseExecutorRequest('aggregate', request) as AggregateRequest;
}
