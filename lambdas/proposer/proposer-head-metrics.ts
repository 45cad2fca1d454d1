import { METRIC } from '../core/ports/telemetry.js';
import type { ProposerDeps } from './proposer-deps.js';

/** How far the oracle's head is behind the L2 head, in blocks and in seconds of L2 time. */
interface ProposalLag {
  readonly blocks: bigint;
  readonly seconds: bigint;
}

/**
 * Emits where the oracle stands, on every run that read it (a run that proposes nothing too):
 * `ProposedHeadBlock` (the oracle's latest L2 block), and `ProposalLagBlocks` /
 * `ProposalLagSeconds`: the L2 head at the configured finality (`chains.l2.finality`, what the
 * watcher follows) minus the oracle's head, in blocks and in L2 time (block timestamps). An oracle
 * at or past that head counts as no lag.
 *
 * Never throws: a failed L2 read is logged and the two lag metrics are left out for this run (the
 * lag alarms treat missing data as breaching), so a slow L2 node never stops a proposal.
 *
 * @example
 * await emitProposalHeadMetrics(deps, oracle.latestBlockNumber);
 */
export async function emitProposalHeadMetrics(
  deps: Pick<ProposerDeps, 'config' | 'l2' | 'metrics' | 'logger'>,
  oracleHead: bigint,
): Promise<void> {
  const { metrics, logger } = deps;
  metrics.gauge(METRIC.proposedHead, Number(oracleHead));
  let lag: ProposalLag;
  try {
    lag = await readProposalLag(deps, oracleHead);
  } catch (error) {
    logger.warn('proposer: could not read the L2 head; proposal lag not reported for this run', {
      oracleHead: oracleHead.toString(),
      finality: deps.config.chains.l2.finality,
      error: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  metrics.gauge(METRIC.proposalLagBlocks, Number(lag.blocks));
  metrics.gauge(METRIC.proposalLagSeconds, Number(lag.seconds));
}

async function readProposalLag(
  deps: Pick<ProposerDeps, 'config' | 'l2'>,
  oracleHead: bigint,
): Promise<ProposalLag> {
  const head = await deps.l2.getBlock({ blockTag: deps.config.chains.l2.finality });
  if (head.number <= oracleHead) return { blocks: 0n, seconds: 0n };
  const proposed = await deps.l2.getBlock({ blockNumber: oracleHead });
  const seconds = head.timestamp > proposed.timestamp ? head.timestamp - proposed.timestamp : 0n;
  return { blocks: head.number - oracleHead, seconds };
}
