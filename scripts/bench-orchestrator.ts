import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InstantJobRunner, syntheticWord } from '../devnet/instant-job-runner.js';
import { loadDevnetConfig } from '../devnet/runtime/devnet-config.js';
import { type LocalAws, startLocalAws } from '../devnet/runtime/local-aws.js';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import { type RunningEventSource, startSqsEventSource } from '../devnet/stand-ins/sqs-event-source.js';
import { DynamoDbStateStore } from '../lambdas/adapters/aws/dynamodb-state-store.js';
import { S3BlobStore } from '../lambdas/adapters/aws/s3-blob-store.js';
import { SqsMessageBus } from '../lambdas/adapters/aws/sqs-message-bus.js';
import { pipelineResourceNames, pipelineTopics } from '../lambdas/core/config/pipeline-resource-names.js';
import { rollupConfigHashOf } from '../lambdas/core/config/rollup-config-hash.js';
import type { PipelineConfig, StageConfig } from '../lambdas/core/config/schema.js';
import { blockKey, keyInterval } from '../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../lambdas/core/messages/make-envelope.js';
import type { AggregateInputs } from '../lambdas/core/orchestrator/build-aggregate-request.js';
import { completeJob } from '../lambdas/core/orchestrator/complete-job.js';
import { groupData, groupKind } from '../lambdas/core/orchestrator/group-records.js';
import type { OrchestratorDeps } from '../lambdas/core/orchestrator/orchestrator-deps.js';
import { submitCheckpointedGroup } from '../lambdas/core/orchestrator/submit-checkpointed-group.js';
import { systemClock } from '../lambdas/core/ports/clock.js';
import type { StateStore, StoredItem } from '../lambdas/core/ports/state-store.js';
import type { Logger, Metrics } from '../lambdas/core/ports/telemetry.js';
import { GROUP_STATUSES } from '../lambdas/core/status.js';
import { dispatchSqsRecords } from '../lambdas/handlers/dispatcher.js';
import { readTopicQueueUrls } from '../lambdas/handlers/handler-environment.js';

/**
 * Orchestrator benchmark: blocks per second through the orchestrator with an instant prover, and
 * AWS API calls per L2 block by service and command, counted by an SDK middleware. Prints figures
 * and asserts nothing timed; exits 1 only when the resulting groups are wrong (a block not in
 * exactly one range group, a range not in exactly one aggregate) or the run does not finish.
 *
 * What runs: the local stand-ins (dynalite, s3rver, the SQS stand-in, via `startLocalAws`; the
 * Batch stand-in is started but idle) in a temp dir on loopback, and the real AWS adapters
 * (DynamoDbStateStore, SqsMessageBus, S3BlobStore) over SDK clients built here, each with a
 * counting middleware. N `blocks` envelopes are published at once (what the watcher would publish;
 * the watcher's block-header uploads are not part of this figure); an SQS event source per topic
 * queue delivers every record to `dispatchMessage` as the dispatcher handler does; aggregate groups
 * waiting for a checkpoint are submitted with a fixed synthetic checkpoint (as the proposer would,
 * without L1) through `submitCheckpointedGroup`.
 *
 * The prover is `InstantJobRunner`: its results are SYNTHETIC (well-formed documents with made-up,
 * chained output roots; no proof). The orchestrator does not verify proofs, so this measures
 * orchestration, not proving. Its output writes use a separate, uncounted S3 client (they are the
 * prover's calls); its completions go through `completeJob` over the counted adapters (the job-state
 * handler's calls). The benchmark's own progress reads use an uncounted DynamoDB client. The SQS
 * event source reads the queues directly, like Lambda's managed poller, so ReceiveMessage and
 * DeleteMessage are not in the counts.
 *
 * Run: `node --import tsx scripts/bench-orchestrator.ts [--blocks 300] [--pollers 1] [--timeout 120] [--config file]`
 */
const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '300' },
    pollers: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '120' },
    config: { type: 'string', default: 'config/devnet.json' },
  },
});
const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
const configPath = resolve(values.config);
const pollersPerQueue = Number(values.pollers);
const timeoutMs = Number(values.timeout) * 1000;

applyLocalAwsEnvironment();
const config = loadDevnetConfig(configPath);
const startBlock = BigInt(config.chains.l2.startBlock);
const blocks = roundToWholeAggregates(config, BigInt(values.blocks));
const endBlock = startBlock + blocks;

/** Calls per client and command, e.g. `calls.DynamoDBClient.PutCommand`. */
type CallCounts = Record<string, Record<string, number>>;

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name?: string },
    ): void;
  };
}

/** Adds a middleware counting every command the client sends into `counts`. */
function counted<T>(client: T, counts: CallCounts): T {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const service = context.clientName ?? 'unknown';
      const command = context.commandName ?? 'unknown';
      const byCommand = counts[service] ?? {};
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      counts[service] = byCommand;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  return client;
}

/**
 * Blocks rounded up so the last aggregate group fills without waiting for `maxWaitSeconds` (a
 * partial group only closes when a later dispatch finds it old enough, and no later dispatch comes).
 */
function roundToWholeAggregates(pipeline: PipelineConfig, requested: bigint): bigint {
  const [range, aggregate] = pipeline.stages;
  const collectorOf = (stage: StageConfig | undefined) =>
    stage?.collector.strategy === 'sequential' ? stage.collector : undefined;
  const rangeSize = BigInt(collectorOf(range)?.groupSize ?? 1);
  const aggregateSpan = BigInt(collectorOf(aggregate)?.minSpan ?? Number(rangeSize));
  const unit = ((aggregateSpan + rangeSize - 1n) / rangeSize) * rangeSize;
  return ((requested + unit - 1n) / unit) * unit;
}

const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const errorLogger: Logger = {
  ...silentLogger,
  error: (message, attributes) => process.stderr.write(`${message} ${JSON.stringify(attributes)}\n`),
};
const noMetrics: Metrics = { count: () => {}, gauge: () => {} };

const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-orchestrator-'));
const eventSources: RunningEventSource[] = [];
const clients: { destroy(): void }[] = [];
let local: LocalAws | undefined;
let exitCode = 0;

try {
  local = await startLocalAws({
    config,
    stateDirectory,
    repoRoot,
    jobEnvironment: {},
    onJobStateChange: async () => {},
  });
  const names = pipelineResourceNames(config.name);
  const calls: CallCounts = {};
  const dynamodb = counted(new DynamoDBClient({ endpoint: local.endpoints.dynamodb }), calls);
  const s3 = counted(new S3Client({ endpoint: local.endpoints.s3, forcePathStyle: true }), calls);
  const sqs = counted(new SQSClient({ endpoint: local.endpoints.sqs }), calls);
  const observerDynamoDb = new DynamoDBClient({ endpoint: local.endpoints.dynamodb });
  const proverS3 = new S3Client({ endpoint: local.endpoints.s3, forcePathStyle: true });
  clients.push(dynamodb, s3, sqs, observerDynamoDb, proverS3);

  const rollupConfigHash = await rollupConfigHashOf(
    resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
  );
  const aggregateInputs: AggregateInputs = {
    checkpoint: { l1BlockNumber: '1', l1BlockHash: syntheticWord('l1-checkpoint') },
    rangeVkey: syntheticWord('range-vkey'),
    proverAddress: '0x00000000000000000000000000000000000b3c11',
  };
  let deps: OrchestratorDeps | undefined;
  const jobs = new InstantJobRunner({
    blobs: new S3BlobStore({ client: proverS3, bucket: names.artifactBucket }),
    context: { rollupConfigHash, ...aggregateInputs },
    complete: (completion) => completeJob(deps as OrchestratorDeps, completion),
  });
  deps = {
    config,
    store: new DynamoDbStateStore({ client: dynamodb, tableName: names.stateTable }),
    bus: new SqsMessageBus({
      client: sqs,
      queueUrls: readTopicQueueUrls(local.environment),
    }),
    blobs: new S3BlobStore({ client: s3, bucket: names.artifactBucket }),
    jobs,
    clock: systemClock,
    logger: errorLogger,
    metrics: noMetrics,
    programContext: { rollupConfigHash },
  };
  const orchestrator = deps;
  const observer = new DynamoDbStateStore({ client: observerDynamoDb, tableName: names.stateTable });

  // The dispatcher handler: every record parsed and dispatched; failures reported per item.
  let dispatchFailures = 0;
  const dispatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const response = await dispatchSqsRecords(orchestrator, errorLogger, event.Records);
    dispatchFailures += response.batchItemFailures.length;
    return response;
  };
  for (const topic of pipelineTopics(config)) {
    for (let poller = 0; poller < pollersPerQueue; poller += 1) {
      eventSources.push(
        startSqsEventSource({
          queues: local.queues,
          queueName: names.queue(topic),
          functionName: `${config.name}-dispatcher`,
          timeoutSeconds: 60,
          handler: dispatch,
          idlePollMs: 10,
        }),
      );
    }
  }

  const aggregateStage = config.stages.find((stage) => stage.executor.l1Checkpoint === true);
  const rangeStage = config.stages.find((stage) => stage.executor.program === 'range');
  if (aggregateStage === undefined || rangeStage === undefined) {
    throw new Error('the config needs a range stage and an aggregate stage with l1Checkpoint');
  }

  const deadline = Date.now() + timeoutMs;
  const startedAt = performance.now();
  const envelopes = [];
  for (let n = startBlock + 1n; n <= endBlock; n += 1n) {
    const payload = {
      number: n.toString(10),
      hash: syntheticWord(`block:${n}`),
      parentHash: syntheticWord(`block:${n - 1n}`),
    };
    envelopes.push(makeEnvelope(config.watcher.outputTopic, blockKey(n), payload, systemClock.now()));
  }
  await orchestrator.bus.publish(envelopes);

  // The proposer's part: checkpoint every aggregate group that waits for one; stop once all blocks
  // are inside succeeded aggregate groups.
  let aggregatedBlocks = 0n;
  for (;;) {
    for (const item of await observer.list(groupKind(aggregateStage.name), 'awaiting-checkpoint')) {
      await submitCheckpointedGroup(orchestrator, item.id, aggregateInputs);
    }
    aggregatedBlocks = spanOf(await observer.list(groupKind(aggregateStage.name), 'succeeded'));
    if (aggregatedBlocks >= blocks) break;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s with ${aggregatedBlocks} of ${blocks} blocks aggregated`,
      );
    }
    await sleep(20);
  }
  const wallSeconds = (performance.now() - startedAt) / 1000;

  // Let the last deliveries (aggregate-proofs records) and completions finish before counting.
  await jobs.settled();
  while (!queuesEmpty(local, pipelineTopics(config).map(names.queue)) && Date.now() < deadline) {
    await sleep(20);
  }
  for (const source of eventSources.splice(0)) await source.stop();

  const sanity = await checkGroups(observer, rangeStage.name, aggregateStage.name);
  const rangeGroups = sanity.rangeGroups;
  const aggregateGroups = sanity.aggregateGroups;
  const perBlock = (count: number): string => (count / Number(blocks)).toFixed(2);
  const serviceOf = (client: string): string => client.replace(/Client$/, '');
  const lines = [
    `orchestrator benchmark (${configPath}; instant prover with synthetic results, nothing proven)`,
    `  blocks: ${blocks} (${startBlock + 1n}..${endBlock})`,
    `  wall seconds (first publish → every block in a succeeded aggregate): ${wallSeconds.toFixed(2)}`,
    `  blocks per second through the orchestrator: ${(Number(blocks) / wallSeconds).toFixed(1)}`,
    `  range groups formed: ${rangeGroups}; aggregate groups formed: ${aggregateGroups}; jobs submitted: ${jobs.submitted}`,
    `  dispatch failures: ${dispatchFailures}; job completion errors: ${jobs.errors.length}`,
    '  AWS API calls per L2 block by service (SDK middleware; orchestrator + job-state + checkpoint submits + block publish):',
    ...Object.entries(calls).map(
      ([client, commands]) =>
        `    ${serviceOf(client).padEnd(10)} ${perBlock(Object.values(commands).reduce((a, b) => a + b, 0))}`,
    ),
    '  by command:',
    ...Object.entries(calls)
      .flatMap(([client, commands]) =>
        Object.entries(commands).map(
          ([command, count]) => [`${serviceOf(client)} ${command}`, count] as const,
        ),
      )
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `    ${name.padEnd(34)} ${perBlock(count)}  (${count} calls)`),
    `  sanity: ${sanity.ok ? 'ok' : 'FAILED'}: ${sanity.description}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!sanity.ok || jobs.errors.length > 0) exitCode = 1;
} catch (error) {
  process.stderr.write(`bench-orchestrator: ${(error as Error).stack ?? String(error)}\n`);
  exitCode = 1;
} finally {
  for (const source of eventSources) await source.stop();
  await local?.close();
  for (const client of clients) client.destroy();
  rmSync(stateDirectory, { recursive: true, force: true });
}
process.exit(exitCode);

/** Blocks covered by groups (sum of end − start). */
function spanOf(groups: readonly StoredItem[]): bigint {
  return groups.reduce((sum, item) => {
    const data = groupData(item);
    return sum + BigInt(data.end) - BigInt(data.start);
  }, 0n);
}

function queuesEmpty(aws: LocalAws, queueNames: readonly string[]): boolean {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return queueNames.every((name) => {
    const attributes = aws.queues.getAttributes(name, region);
    return (
      attributes.ApproximateNumberOfMessages === '0' &&
      attributes.ApproximateNumberOfMessagesNotVisible === '0'
    );
  });
}

async function allGroups(store: StateStore, stage: string): Promise<StoredItem[]> {
  const lists = await Promise.all(GROUP_STATUSES.map((status) => store.list(groupKind(stage), status)));
  return lists.flat();
}

/**
 * Every block start+1..end in exactly one range group, every range group succeeded and a member of
 * exactly one aggregate group, every aggregate succeeded and its members exactly range results.
 */
async function checkGroups(
  store: StateStore,
  rangeStageName: string,
  aggregateStageName: string,
): Promise<{ ok: boolean; description: string; rangeGroups: number; aggregateGroups: number }> {
  const ranges = await allGroups(store, rangeStageName);
  const aggregates = await allGroups(store, aggregateStageName);
  const problems: string[] = [];
  const notSucceeded = [...ranges, ...aggregates].filter((item) => item.status !== 'succeeded');
  if (notSucceeded.length > 0) {
    problems.push(
      `groups not succeeded: ${notSucceeded.map((item) => `${item.id}=${item.status}`).join(', ')}`,
    );
  }
  const blockOwners = new Map<bigint, number>();
  for (const item of ranges) {
    const data = groupData(item);
    for (let n = BigInt(data.start) + 1n; n <= BigInt(data.end); n += 1n) {
      blockOwners.set(n, (blockOwners.get(n) ?? 0) + 1);
    }
  }
  for (let n = startBlock + 1n; n <= endBlock; n += 1n) {
    const owners = blockOwners.get(n) ?? 0;
    if (owners !== 1) problems.push(`block ${n} is in ${owners} range groups`);
  }
  if (blockOwners.size !== Number(blocks)) problems.push(`range groups cover ${blockOwners.size} blocks`);
  const rangeKeys = new Map<string, number>();
  for (const item of ranges) {
    const data = groupData(item);
    rangeKeys.set(`${data.start}-${data.end}`, 0);
  }
  for (const item of aggregates) {
    for (const member of groupData(item).memberIds) {
      const key = member.slice(member.lastIndexOf('/') + 1);
      const owners = rangeKeys.get(key);
      if (owners === undefined) problems.push(`${item.id} has member ${member}, not a range group's result`);
      else rangeKeys.set(key, owners + 1);
    }
    const data = groupData(item);
    const covered = groupData(item)
      .memberIds.map((member) => keyInterval(member.slice(member.lastIndexOf('/') + 1), 'range'))
      .reduce((sum, interval) => sum + interval.end - interval.start, 0n);
    if (covered !== BigInt(data.end) - BigInt(data.start)) {
      problems.push(`${item.id}: members cover ${covered} blocks`);
    }
  }
  for (const [key, owners] of rangeKeys) {
    if (owners !== 1) problems.push(`range ${key} is in ${owners} aggregate groups`);
  }
  const ok = problems.length === 0 && ranges.length > 0 && aggregates.length > 0;
  return {
    ok,
    description: ok
      ? `each of ${blocks} blocks in exactly one of ${ranges.length} range groups; each range in exactly one of ${aggregates.length} aggregates`
      : problems.slice(0, 10).join('; '),
    rangeGroups: ranges.length,
    aggregateGroups: aggregates.length,
  };
}
