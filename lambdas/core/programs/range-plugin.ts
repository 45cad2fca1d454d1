import { parseExecutorRequest } from '../executor/program-contracts.js';
import { blockPayloadSchema } from '../messages/block-payload.js';
import { parseMemberPayloads } from '../orchestrator/messages/load-member-payloads.js';
import type { ProgramPlugin } from '../orchestrator/setup/program-plugin.js';
import { METRIC } from '../ports/telemetry.js';
import { spanResults } from './program-results.js';

/**
 * The range program: a group of block messages becomes a range request carrying `(start, end]`,
 * the block hashes the watcher saw (checked by the host against what it fetches), the rollup
 * config hash, the stage's proof mode and `l1HeadDepth` (how far below the L1 head the host picks
 * the range's `l1Head`); its results advance the proven head.
 */
export function rangePlugin(context: { readonly rollupConfigHash: string }): ProgramPlugin {
  return {
    program: 'range',
    headMetric: METRIC.provenHead,
    buildRequest({ stage, groupId, start, end, members }) {
      // The request carries what the host checks (number and hashes), not the collector's gasUsed.
      const blocks = parseMemberPayloads(members, blockPayloadSchema, 'block message').map(
        ({ number, hash, parentHash }) => ({ number, hash, parentHash }),
      );
      blocks.sort((a, b) => (BigInt(a.number) < BigInt(b.number) ? -1 : 1));
      return parseExecutorRequest('range', {
        version: 1,
        program: 'range',
        groupId,
        start: start.toString(),
        end: end.toString(),
        rollupConfigHash: context.rollupConfigHash,
        proofMode: stage.executor.proofMode,
        // The host resolves it: the core reads no chain, and the depth is applied when the job runs.
        ...(stage.executor.l1HeadDepth ? { l1HeadDepth: stage.executor.l1HeadDepth } : {}),
        blocks,
      });
    },
    parseOutput: (raw) => spanResults('range', raw),
  };
}
