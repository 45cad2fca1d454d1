import { z } from 'zod';
import type { StageConfig } from '../config/schema.js';
import { parseExecutorRequest } from '../executor/program-contracts.js';
import type { RangeRequest } from '../executor/range-contract.js';
import { bytes32Hex, decimalString } from '../schema/primitives.js';
import type { GroupData } from './group-records.js';
import { loadMemberPayloads } from './load-member-payloads.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/** What the watcher puts in a `blocks` message (extra fields are ignored). */
const blockPayloadSchema = z.object({ number: decimalString, hash: bytes32Hex, parentHash: bytes32Hex });

/**
 * Builds the range executor input for a group: its (start, end], the block hashes the watcher saw
 * (checked by the host against what it fetches), the rollup config hash and the stage's proof mode.
 * @throws InvalidInputError when a member's payload is not a block payload, naming the message and path.
 */
export async function buildRangeRequest(
  deps: OrchestratorDeps,
  stage: StageConfig,
  groupId: string,
  group: GroupData,
): Promise<RangeRequest> {
  const blocks = await loadMemberPayloads(deps, groupId, group, blockPayloadSchema, 'block message');
  blocks.sort((a, b) => (BigInt(a.number) < BigInt(b.number) ? -1 : 1));
  const request = {
    version: 1,
    program: 'range',
    groupId,
    start: group.start,
    end: group.end,
    rollupConfigHash: deps.programContext.rollupConfigHash,
    proofMode: stage.executor.proofMode,
    blocks,
  };
  return parseExecutorRequest('range', request) as RangeRequest;
}
