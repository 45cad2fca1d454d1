import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Address, PublicClient } from 'viem';
import { DynamoDbStateStore } from '../../lambdas/adapters/aws/dynamodb-state-store.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../lambdas/core/config/stage-schema.js';
import { listPauses } from '../../lambdas/core/control/pause-switch.js';
import { GROUP_STATUSES } from '../../lambdas/core/status.js';
import { PROPOSER_WAIT_KIND } from '../../lambdas/proposer/proposer-wait.js';
import { OBSERVER_HEADER } from '../stand-ins/service-call-counter.js';
import { readOracleHead } from './oracle-proposals.js';

/** What the pipeline has done, read from the state table and the chains (never from guesses). */
export interface PipelineProgress {
  readonly l2Head: bigint;
  /** Highest block the watcher enqueued (its cursor), undefined before its first run. */
  readonly enqueuedHead: bigint | undefined;
  /** Block messages not yet collected into a range group. */
  readonly blocksPending: number;
  /** Groups per stage and status, e.g. `{ range: { running: 1, succeeded: 4 } }`. */
  readonly groups: Record<string, Record<string, number>>;
  /**
   * The configured zkVM backend of each proving stage not on the in-process mock, e.g.
   * `{ 'range-b': 'binary' }`: shown beside the stage, so two provers' line tells them apart.
   */
  readonly backends?: Readonly<Record<string, string>>;
  /** Proposals on the oracle (outputs after the starting one) and the latest proposed L2 block. */
  readonly proposals: bigint;
  readonly proposedHead: bigint;
  /**
   * Everything that holds work back until a person acts, with its stored reason: set pause switches
   * (a person's, or the pipeline's own after a reorg it cannot repair) and proposer waits.
   */
  readonly waits?: readonly string[];
}

export interface ProgressReader {
  read(): Promise<PipelineProgress>;
  close(): void;
}

/**
 * Reads the pipeline's progress: L2 head from the L2 RPC, the watcher cursor and group counts from
 * the state table (its requests marked so the call counter skips them), proposals from the oracle.
 */
export function createProgressReader(options: {
  config: PipelineConfig;
  dynamodbEndpoint: string;
  tableName: string;
  l1: PublicClient;
  l2: PublicClient;
  oracle: Address;
}): ProgressReader {
  const client = new DynamoDBClient({ endpoint: options.dynamodbEndpoint });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers[OBSERVER_HEADER] = '1';
      return next(args);
    },
    { step: 'build', name: 'devnetObserverHeader' },
  );
  const store = new DynamoDbStateStore({ client, tableName: options.tableName });
  const blockTopic = options.config.watcher.outputTopic;
  return {
    read: async () => {
      const [l2Head, cursor, pending, oracle, pauses, proposerWaits] = await Promise.all([
        options.l2.getBlockNumber({ cacheTime: 0 }),
        store.get('cursor/watcher'),
        store.list(`message#${blockTopic}`, 'pending'),
        readOracleHead(options.l1, options.oracle),
        listPauses(store),
        store.list(PROPOSER_WAIT_KIND, 'waiting'),
      ]);
      const waits = [
        ...pauses.map((p) => `PAUSED ${p.target} (by ${p.by}): ${p.reason}`),
        ...proposerWaits.map((w) => `PROPOSER WAITS: ${String(w.data.reason)}: ${String(w.data.message)}`),
      ];
      const stageCounts = await Promise.all(
        options.config.stages.map(async (stage) => {
          const lengths = await Promise.all(
            GROUP_STATUSES.map(async (status) => (await store.list(`group#${stage.name}`, status)).length),
          );
          const counts: Record<string, number> = {};
          GROUP_STATUSES.forEach((status, i) => {
            const length = lengths[i] ?? 0;
            if (length > 0) counts[status] = length;
          });
          return [stage.name, counts] as const;
        }),
      );
      const groups: Record<string, Record<string, number>> = Object.fromEntries(stageCounts);
      const backends = Object.fromEntries(
        options.config.stages
          .filter(isProvingStage)
          .filter((stage) => stage.executor.backend !== 'mock')
          .map((stage) => [stage.name, stage.executor.backend]),
      );
      const position = cursor?.data.position;
      return {
        l2Head,
        enqueuedHead: typeof position === 'string' ? BigInt(position) : undefined,
        blocksPending: pending.length,
        groups,
        backends,
        proposals: oracle.proposals,
        proposedHead: oracle.latestBlockNumber,
        waits,
      };
    },
    close: () => client.destroy(),
  };
}

/** One progress line, e.g. `L2 head 42 | enqueued 40 (3 pending) | range 1 running, 7 done | ...`. */
export function formatProgress(progress: PipelineProgress): string {
  const stages = Object.entries(progress.groups).map(([stage, counts]) => {
    const parts = Object.entries(counts).map(([status, count]) => `${count} ${status}`);
    const backend = progress.backends?.[stage];
    const label = backend === undefined ? stage : `${stage} (${backend})`;
    return `${label}: ${parts.length === 0 ? 'none' : parts.join(', ')}`;
  });
  return [
    `L2 head ${progress.l2Head}`,
    `enqueued ${progress.enqueuedHead ?? '-'} (${progress.blocksPending} pending)`,
    ...stages,
    `proposed ${progress.proposedHead} (${progress.proposals} proposals)`,
    `lag ${progress.l2Head - progress.proposedHead} blocks`,
    ...(progress.waits ?? []),
  ].join(' | ');
}
