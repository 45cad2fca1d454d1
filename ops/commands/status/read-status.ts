import type { Address } from 'viem';
import { readLatestOutput } from '../../../lambdas/chain/oracle-reads.js';
import type { PauseState } from '../../../lambdas/core/control/pause-switch.js';
import { cursorId } from '../../../lambdas/core/messages/ids.js';
import type { OpsContext } from '../../context/ops-context.js';
import { queueDepth } from '../dlq/dead-letter-queue.js';
import { readPauses } from '../pause/pause-switches.js';
import { type HeadLag, headLags, type L2Heads, readL2Heads } from './chain-heads.js';
import { type ProposerState, readProposerState } from './proposer-state.js';
import { readStageProgress, type StageProgress } from './stage-progress.js';

/** Everything `status` shows, read from the L2, the oracle, the state table and the queues. */
export interface PipelineStatus {
  readonly target: string;
  readonly at: string;
  readonly l2: L2Heads;
  /** enqueued (watcher cursor), each stage's proven head (the aggregate program's is `aggregated`), proposed (oracle). */
  readonly heads: readonly HeadLag[];
  readonly stages: readonly StageProgress[];
  readonly proposer: ProposerState;
  /** Every set pause switch (target, reason, by, since): waiting on a person. */
  readonly pauses: readonly PauseState[];
  /** Messages per topic's dead-letter queue. */
  readonly deadLetterQueues: Readonly<Record<string, number>>;
}

/** Reads the whole status once. */
export async function readStatus(context: OpsContext): Promise<PipelineStatus> {
  const { deps, runtime, target } = context;
  const [l1, l2] = await Promise.all([runtime.publicClient('l1'), runtime.publicClient('l2')]);
  const oracle = deps.config.chains.l1.oracleAddress;
  const proposerAddress = target.proposer ?? (await runtime.proposerAccount()).address;
  const [heads, cursor, stages, proposed, proposer, pauses, depths] = await Promise.all([
    readL2Heads(l2),
    deps.store.get(cursorId('watcher')),
    readStageProgress(deps),
    oracle === undefined ? undefined : readLatestOutput(l1, oracle as Address),
    readProposerState(deps.store, l1, proposerAddress),
    readPauses(deps),
    Promise.all(
      Object.entries(target.deadLetterQueueUrls).map(
        async ([topic, url]) => [topic, await queueDepth(context.sqs, url)] as const,
      ),
    ),
  ]);
  const position = cursor?.data.position;
  const lags = await headLags(l2, heads.latest, [
    { name: 'enqueued', block: typeof position === 'string' ? BigInt(position) : undefined },
    ...stages.map((stage) => ({
      name: stage.program === 'aggregate' ? `aggregated (${stage.stage})` : `proven (${stage.stage})`,
      block: stage.provenHead,
    })),
    { name: 'proposed (oracle)', block: proposed?.l2BlockNumber },
  ]);
  return {
    target: target.description,
    at: deps.clock.now().toISOString(),
    l2: heads,
    heads: lags,
    stages,
    proposer,
    pauses,
    deadLetterQueues: Object.fromEntries(depths),
  };
}
