import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStore } from '../../lambdas/adapters/aws/dynamodb-state-store.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { messageId, proposalId, rangeKey } from '../../lambdas/core/messages/ids.js';
import type { StateStore, StoredItem } from '../../lambdas/core/ports/state-store.js';
import type { LocalPipeline } from './local-pipeline.js';

/** The waits of one succeeded aggregate group, read back from the state table's timestamps. */
export interface AggregateLatency {
  readonly groupId: string;
  /** When the group formed: its last member (range proof) was recorded. */
  readonly formedAt: number;
  /** When its (latest attempt's) job was submitted. */
  readonly submittedAt: number;
  /** When its proof was recorded on the proposer's input topic, if it was. */
  readonly proofRecordedAt?: number;
  /** When the first proposal transaction for its end block was sent, if one was. */
  readonly proposalSentAt?: number;
}

/** p50 and max of some seconds, and how many there were. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly max: number;
}

/**
 * The succeeded groups of the stage feeding the proposer, with the time each one formed, its job
 * was submitted, its proof was recorded and its proposal was sent, all from stored items
 * (`receivedAt` of the members and the proof message, the group's `submittedAt`, the first
 * attempt's `sentAt` of the `tx/…` record whose intent is `proposal/<end>`). Oldest first.
 */
export async function readAggregateLatencies(
  store: StateStore,
  config: PipelineConfig,
): Promise<AggregateLatency[]> {
  const stage = config.stages.find((s) => s.outputTopic === config.proposer.inputTopic);
  if (stage === undefined)
    throw new Error(`no stage produces proposer.inputTopic "${config.proposer.inputTopic}"`);
  const txs = (await Promise.all(['sent', 'mined'].map((status) => store.list('tx', status)))).flat();
  const firstSentAt = (intentId: string): number | undefined => {
    const times = txs
      .filter((tx) => tx.data.intentId === intentId)
      .flatMap((tx) => (tx.data.attempts as Array<{ sentAt: string }>).map((a) => Date.parse(a.sentAt)));
    return times.length === 0 ? undefined : Math.min(...times);
  };
  const groups = await store.list(`group#${stage.name}`, 'succeeded');
  const latencies: AggregateLatency[] = [];
  for (const group of groups) {
    const { start, end, memberIds, submittedAt } = group.data as {
      start: string;
      end: string;
      memberIds: string[];
      submittedAt?: string;
    };
    const members = await Promise.all(memberIds.map((id) => store.get(id)));
    const proof = await store.get(
      messageId(config.proposer.inputTopic, rangeKey(BigInt(start), BigInt(end))),
    );
    const proofRecordedAt = receivedAt(proof);
    const proposalSentAt = firstSentAt(proposalId(BigInt(end)));
    latencies.push({
      groupId: group.id,
      formedAt: Math.max(...members.map((m) => receivedAt(m) ?? Number.NaN)),
      submittedAt: submittedAt === undefined ? Number.NaN : Date.parse(submittedAt),
      ...(proofRecordedAt === undefined ? {} : { proofRecordedAt }),
      ...(proposalSentAt === undefined ? {} : { proposalSentAt }),
    });
  }
  return latencies.sort((a, b) => a.formedAt - b.formedAt);
}

/** `readAggregateLatencies` over a running local pipeline's state table. */
export async function readPipelineAggregateLatencies(pipeline: LocalPipeline): Promise<AggregateLatency[]> {
  const client = new DynamoDBClient({ endpoint: pipeline.aws.endpoints.dynamodb });
  try {
    const tableName = pipeline.aws.environment.STATE_TABLE_NAME as string;
    return await readAggregateLatencies(new DynamoDbStateStore({ client, tableName }), pipeline.config);
  } finally {
    client.destroy();
  }
}

/**
 * Writes a copy of a devnet config file with the proposer scheduled every `everySeconds` (and the
 * rollup config path made absolute, so the copy can live anywhere), to measure our waits.
 */
export function writeConfigWithProposerEvery(
  sourcePath: string,
  everySeconds: number,
  outputPath: string,
): void {
  const raw = JSON.parse(readFileSync(sourcePath, 'utf8'));
  raw.proposer.schedule.everySeconds = everySeconds;
  raw.chains.l2.rollupConfigPath = resolve(dirname(sourcePath), raw.chains.l2.rollupConfigPath);
  writeFileSync(outputPath, JSON.stringify(raw));
}

/** p50 (the lower middle value) and max of `seconds`; NaNs (a timestamp missing) are left out. */
export function summarizeSeconds(seconds: readonly number[]): LatencySummary {
  const sorted = seconds.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

function receivedAt(item: StoredItem | undefined): number | undefined {
  const value = item?.data.receivedAt;
  return typeof value === 'string' ? Date.parse(value) : undefined;
}
