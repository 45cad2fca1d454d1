import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InstantJobRunner, syntheticWord } from '../devnet/instant-job-runner.js';
import { loadDevnetConfig } from '../devnet/runtime/devnet-config.js';
import { type LocalAws, startLocalAws } from '../devnet/runtime/local-aws.js';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import { type RunningEventSource, startSqsEventSource } from '../devnet/stand-ins/sqs-event-source.js';
import { pipelineResourceNames, pipelineTopics } from '../lambdas/core/config/pipeline-resource-names.js';
import { rollupConfigHashOf } from '../lambdas/core/config/rollup-config-hash.js';
import { isProvingStage } from '../lambdas/core/config/stage-schema.js';
import { finishJob } from '../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../lambdas/core/orchestrator/group/give-checkpoint.js';
import { groupKind } from '../lambdas/core/orchestrator/group/group-item.js';
import type { OrchestratorDeps } from '../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import type { CheckpointGrant } from '../lambdas/core/orchestrator/setup/program-plugin.js';
import { systemClock } from '../lambdas/core/ports/clock.js';
import type { Logger, Metrics } from '../lambdas/core/ports/telemetry.js';
import { programPlugins } from '../lambdas/core/programs/program-plugins.js';
import { dispatchSqsRecords } from '../lambdas/handlers/dispatcher.js';
import { blockEnvelopes, clearCallCounts, queuesEmpty } from './orchestrator-bench-blocks.js';
import { type BenchPorts, type BenchStore, memoryPorts, standInPorts } from './orchestrator-bench-ports.js';
import { AggregatedHead, BenchProposer } from './orchestrator-bench-proposer.js';
import {
  type BenchWarmUp,
  type OrchestratorBenchFigures,
  orchestratorBenchJson,
  orchestratorBenchReport,
} from './orchestrator-bench-report.js';
import { checkGroups } from './orchestrator-group-check.js';
import type { CallCounts } from './sdk-call-counts.js';
import { roundToWholeAggregates } from './whole-aggregate-blocks.js';

/**
 * Orchestrator benchmark: blocks per second through the orchestrator with an instant prover, and
 * AWS API calls per L2 block by service and command, counted by an SDK middleware. Prints figures
 * and asserts nothing timed; exits 1 only when the resulting groups are wrong (a block not in
 * exactly one range group, a range not in exactly one aggregate) or the run does not finish.
 *
 * What runs: the local stand-ins (dynalite, s3rver, the SQS stand-in, via `startLocalAws` with
 * `persistence: 'memory'`, as the run's state is deleted at its end; the Batch stand-in is started
 * but idle) on loopback, and the real AWS adapters
 * (DynamoDbStateStore, SqsMessageBus, S3BlobStore) over SDK clients built here, each with a
 * counting middleware. N `blocks` envelopes are published at once (what the watcher would publish;
 * the watcher's block-header uploads are not part of this figure); an SQS event source per topic
 * queue delivers every record to `dispatchMessage` as the dispatcher handler does; aggregate groups
 * waiting for a checkpoint are submitted with a fixed synthetic checkpoint (as the proposer would,
 * without L1) through `giveCheckpoint`, woken as the pipeline wakes the proposer (`BenchProposer`).
 *
 * The prover is `InstantJobRunner`: its results are SYNTHETIC (well-formed documents with made-up,
 * chained output roots; no proof). The orchestrator does not verify proofs, so this measures
 * orchestration, not proving. Its output writes use a separate, uncounted S3 client (they are the
 * prover's calls); its completions go through `finishJob` over the counted adapters (the job-state
 * handler's calls). The benchmark's own progress reads use an uncounted DynamoDB client. The SQS
 * event source reads the queues directly, like Lambda's managed poller, so ReceiveMessage and
 * DeleteMessage are not in the counts.
 *
 * What is timed: `--warm-up` blocks (default 300, rounded up to whole aggregates; 0: none) run
 * through first, untimed and uncounted, so the clock leaves out one-off costs (module loads, the
 * SDK's first handler chains, endpoint and credential resolution, V8 compiling the hot code: the
 * timed rate still rose with the warm-up, 177 | 195 | 203 | 220 | 256 blocks/s after 100 | 200 |
 * 300 | 500 | 800 blocks, in both processes, as a warm Lambda's would); then the clock runs for
 * `--blocks` more. The report and `--json` (`warmUp`) give the warm-up's own figure and the rate
 * of all blocks with it, beside `blocksPerSecond`; the group check covers every block.
 *
 * Batch: the instant prover takes the jobs in-process, so no Batch API call is made or counted
 * (`awsCallsPerBlock.batch` is 0); `jobsSubmittedPerBlock` says how many jobs were submitted, each of
 * which is a ListJobs and a SubmitJob call on AWS (`BatchJobRunner.submit`).
 *
 * `--store memory` (an ADDITIONAL figure, not the benchmark's): the same orchestrator over the
 * in-memory ports and the SQS queue model (`memoryPorts`), each port call counted as the AWS call
 * it stands for: the orchestrator's own ceiling. `--storage-stand-ins` (default `child-process`):
 * dynalite and s3rver in their own process, as DynamoDB and S3 are remote services, or in this one
 * (`in-process`: their CPU is the orchestrator's; 177-187 against 203-207 blocks/s on 2 cores
 * shared with other work, `StorageStandInsPlacement`). `--pollers 2`: concurrent dispatches lose
 * conditional writes (5.0 calls per block, not 4.7). Figures for each are in the README.
 *
 * Run: `node --import tsx scripts/bench-orchestrator.ts [--blocks 300] [--warm-up 300] [--pollers 1] [--timeout 120] [--config file] [--store stand-ins|memory] [--storage-stand-ins child-process|in-process] [--json]`
 * (`--json`: exactly one JSON object on stdout, `{ blocksPerSecond, warmUp, awsCallsPerBlock: { total,
 * dynamodb, sqs, s3, batch }, byCommand, … }`, see `orchestratorBenchJson`; default: the report.)
 */
const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '300' },
    'warm-up': { type: 'string', default: '300' },
    pollers: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '120' },
    config: { type: 'string', default: 'config/devnet.json' },
    json: { type: 'boolean', default: false },
    store: { type: 'string', default: 'stand-ins' },
    'storage-stand-ins': { type: 'string', default: 'child-process' },
  },
});
if (values.store !== 'stand-ins' && values.store !== 'memory')
  throw new Error(`--store: expected stand-ins or memory (got "${values.store}")`);
const store: BenchStore = values.store;
const placement = values['storage-stand-ins'];
if (placement !== 'child-process' && placement !== 'in-process')
  throw new Error(`--storage-stand-ins: expected child-process or in-process (got "${placement}")`);
const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
const configPath = resolve(values.config);
const pollersPerQueue = Number(values.pollers);
const timeoutMs = Number(values.timeout) * 1000;

applyLocalAwsEnvironment();
const config = loadDevnetConfig(configPath);
const startBlock = BigInt(config.chains.l2.startBlock);
const warmUpBlocks = roundToWholeAggregates(config, BigInt(values['warm-up']));
const blocks = roundToWholeAggregates(config, BigInt(values.blocks));
const warmUpEnd = startBlock + warmUpBlocks; // the last warm-up block: the clock runs for those after it
const endBlock = warmUpEnd + blocks;

/**
 * Pause between the benchmark's proposer passes when no wake-up came (`BenchProposer`): its reads are
 * uncounted but run on the same dynalite (every 20 ms made as many Queries as the orchestrator).
 */
const OBSERVER_POLL_MS = 100;

const quiet = () => {};
const errorLogger: Logger = {
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: (message, attributes) => process.stderr.write(`${message} ${JSON.stringify(attributes)}\n`),
};
const noMetrics: Metrics = { count: () => {}, gauge: () => {} };

const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-orchestrator-'));
const eventSources: RunningEventSource[] = [];
let local: LocalAws | undefined;
let ports: BenchPorts | undefined;
let exitCode = 0;

try {
  const calls: CallCounts = {};
  if (store === 'stand-ins') {
    local = await startLocalAws({
      config,
      stateDirectory,
      repoRoot,
      jobEnvironment: {},
      onJobStateChange: async () => {},
      storageStandIns: placement,
      persistence: 'memory',
    });
    ports = standInPorts(config, local, calls);
  } else {
    ports = memoryPorts(config, calls);
  }
  const names = pipelineResourceNames(config.name);
  const { queues } = ports;

  const rollupConfigHash = await rollupConfigHashOf(
    resolve(dirname(configPath), config.chains.l2.rollupConfigPath),
  );
  const aggregateInputs: CheckpointGrant = {
    checkpoint: { l1BlockNumber: '1', l1BlockHash: syntheticWord('l1-checkpoint') },
    rangeVkey: syntheticWord('range-vkey'),
    proverAddress: '0x00000000000000000000000000000000000b3c11',
  };
  let deps: OrchestratorDeps | undefined;
  const jobs = new InstantJobRunner({
    blobs: ports.proverBlobs,
    context: { rollupConfigHash, ...aggregateInputs },
    complete: (completion) => finishJob(deps as OrchestratorDeps, completion),
  });
  const provingStages = config.stages.filter(isProvingStage);
  const aggregateStage = provingStages.find((stage) => stage.executor.l1Checkpoint === true);
  const rangeStage = provingStages.find((stage) => stage.executor.program === 'range');
  if (aggregateStage === undefined || rangeStage === undefined) {
    throw new Error('the config needs a range stage and an aggregate stage with l1Checkpoint');
  }
  const aggregateGroups = groupKind(aggregateStage.name);
  // The proposer's part: checkpoints for the groups that wait for one, and the aggregated head
  // (aggregates succeed from the start block on, one after the other; a pass lists only from the head).
  const aggregated = new AggregatedHead(ports.observer, aggregateGroups, startBlock, (id) =>
    giveCheckpoint(deps as OrchestratorDeps, id, aggregateInputs),
  );
  const proposer = new BenchProposer(() => aggregated.pass());
  deps = {
    config,
    store: ports.store,
    bus: ports.bus,
    blobs: ports.blobs,
    jobs,
    clock: systemClock,
    logger: errorLogger,
    metrics: noMetrics,
    programs: programPlugins({ rollupConfigHash }),
    origin: startBlock,
    proposerWakeup: proposer.wakeup,
  };
  const orchestrator = deps;
  const { observer } = ports;

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
          queues,
          queueName: names.queue(topic),
          functionName: `${config.name}-dispatcher`,
          timeoutSeconds: 60,
          handler: dispatch,
          idlePollMs: 10,
        }),
      );
    }
  }

  const deadline = Date.now() + timeoutMs;
  const topicQueues = pipelineTopics(config).map(names.queue);
  /** Publishes blocks `from`..`to`, then waits until all blocks so far are inside succeeded aggregate groups. */
  const runBlocks = async (from: bigint, to: bigint): Promise<void> => {
    await orchestrator.bus.publish(blockEnvelopes(config, from, to, systemClock));
    await proposer.run();
    while (aggregated.head < to) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs / 1000} s with blocks up to ${aggregated.head} of ${to} aggregated`,
        );
      }
      // A woken pass, or the poll's own when none came (the schedule's safety sweep).
      const woken = await Promise.race([proposer.nextPass().then(() => true), sleep(OBSERVER_POLL_MS)]);
      if (woken !== true) await proposer.run();
    }
  };
  /** Lets the last deliveries (aggregate-proofs records) and completions finish. */
  const drain = async (): Promise<void> => {
    await jobs.settled();
    while (!queuesEmpty(queues, topicQueues) && Date.now() < deadline) await sleep(20);
  };

  let warmUp: BenchWarmUp | undefined;
  if (warmUpBlocks > 0n) {
    const warmUpStartedAt = performance.now();
    await runBlocks(startBlock + 1n, warmUpEnd);
    await drain();
    warmUp = { blocks: Number(warmUpBlocks), wallSeconds: (performance.now() - warmUpStartedAt) / 1000 };
    clearCallCounts(calls);
  }
  const [jobsBeforeClock, wakeupsBeforeClock] = [jobs.submitted, proposer.wakeups];
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const storageCpuAtStart = await local?.storageCpuSeconds();
  await runBlocks(warmUpEnd + 1n, endBlock);
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const storageCpuAtEnd = await local?.storageCpuSeconds();

  // The counts go on through the drain: the timed blocks' trailing deliveries are theirs.
  await drain();
  for (const source of eventSources.splice(0)) await source.stop();

  // Every block, the warm-up's included, in exactly one range and one aggregate group.
  const sanity = await checkGroups(observer, rangeStage.name, aggregateStage.name, { startBlock, endBlock });
  const figures: OrchestratorBenchFigures = {
    configPath,
    store,
    blocks: { startBlock: warmUpEnd, endBlock },
    wallSeconds,
    ...(warmUp === undefined ? {} : { warmUp }),
    cpuSeconds,
    ...(storageCpuAtStart === undefined || storageCpuAtEnd === undefined
      ? {}
      : { storageStandInsCpuSeconds: storageCpuAtEnd - storageCpuAtStart }),
    calls,
    sanity,
    jobsSubmitted: jobs.submitted - jobsBeforeClock,
    proposerWakeups: proposer.wakeups - wakeupsBeforeClock,
    dispatchFailures,
    jobCompletionErrors: jobs.errors.length,
  };
  process.stdout.write(
    values.json ? `${JSON.stringify(orchestratorBenchJson(figures))}\n` : orchestratorBenchReport(figures),
  );
  if (!sanity.ok || jobs.errors.length > 0) exitCode = 1;
} catch (error) {
  process.stderr.write(`bench-orchestrator: ${(error as Error).stack ?? String(error)}\n`);
  exitCode = 1;
} finally {
  for (const source of eventSources) await source.stop();
  await local?.close();
  ports?.close();
  rmSync(stateDirectory, { recursive: true, force: true });
}
process.exit(exitCode);
