import { PipelineError } from '../errors.js';
import { parseExecutorRequest } from '../executor/program-contracts.js';
import { rangeResultSchema } from '../executor/range-contract.js';
import { parseMemberPayloads } from '../orchestrator/messages/load-member-payloads.js';
import type { ProgramPlugin } from '../orchestrator/setup/program-plugin.js';
import { METRIC } from '../ports/telemetry.js';
import { spanResults } from './program-results.js';

/**
 * The aggregate program: a group of range-proof messages becomes an aggregate request with the
 * ranges in block order and the proposer's grant (L1 checkpoint, range vkey, prover address); its
 * results advance the aggregated head.
 */
export const aggregatePlugin: ProgramPlugin = {
  program: 'aggregate',
  headMetric: METRIC.aggregatedHead,
  buildRequest({ stage, groupId, start, end, members, grant }) {
    if (grant === undefined) {
      throw new PipelineError(
        `group ${groupId}: an aggregate job needs an L1 checkpoint, range vkey and prover address; the proposer gives them (giveCheckpoint)`,
      );
    }
    const ranges = parseMemberPayloads(members, rangeResultSchema, 'range-proof message');
    ranges.sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
    return parseExecutorRequest('aggregate', {
      version: 1,
      program: 'aggregate',
      groupId,
      start: start.toString(),
      end: end.toString(),
      ranges,
      checkpoint: grant.checkpoint,
      rangeVkey: grant.rangeVkey,
      proverAddress: grant.proverAddress,
      proofMode: stage.executor.proofMode,
    });
  },
  parseOutput: (raw) => spanResults('aggregate', raw),
};
