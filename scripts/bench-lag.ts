import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createPublicClient, http, type PublicClient } from 'viem';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import { readOracleHead } from '../devnet/runtime/oracle-proposals.js';
import { DynamoDbStateStore } from '../lambdas/adapters/aws/dynamodb-state-store.js';
import { keyInterval } from '../lambdas/core/messages/ids.js';
import { startBenchLocalRun } from './bench-local-run.js';
import { markJobPhases } from './job-phase-marks.js';
import { type LagSample, type LagStatistics, lagStatistics, localRunLagBound } from './lag-statistics.js';

/**
 * `npm run bench:lag`: does the local run keep up? Starts the local pipeline (fresh chains and state,
 * the config's block times: 1 s with config/devnet.json), samples the L2 head, the proven head (end
 * of the last succeeded group of the stage feeding the proposer) and the oracle's proposed head every
 * `--sample-seconds`, for `--minutes`, then prints the proposed-head lag (blocks, and seconds since
 * the proposed block's timestamp): seconds to the first proposal, p50/p95/max after it, the slope
 * over the last half, and pass/fail against the bound (`localRunLagBound`). Exits 1 on fail.
 *
 * `--timings` also prints when each phase on the way to the first proposal was reached (chains up,
 * oracle deployed, stand-ins and bundles ready, handlers loaded, first invocations, the L2 block the
 * first proposal needs, each job submitted / started / done, the first proposal seen on L1, polled
 * every 200 ms), in seconds from the start.
 *
 * Run: `npm run bench:lag -- [--minutes 10] [--sample-seconds 3] [--timings] [--json] [--config config/devnet.json]`
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'sample-seconds': { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    timings: { type: 'boolean', default: false },
    config: { type: 'string', default: 'config/devnet.json' },
  },
});
const minutes = Number(values.minutes);
const sampleSeconds = Number(values['sample-seconds']);
if (!(minutes > 0) || !(sampleSeconds > 0)) {
  process.stderr.write(
    `usage: --minutes M>0 --sample-seconds S>0 (got --minutes ${values.minutes}, --sample-seconds ${values['sample-seconds']})\n`,
  );
  process.exit(2);
}
const repoRoot = resolve(import.meta.dirname, '..');

applyLocalAwsEnvironment();

const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-lag-'));
const loadAtStart = loadavg();
const { config, chains, manifest, pipeline, startedAt, timings } = await startBenchLocalRun({
  configPath: resolve(values.config),
  stateDirectory,
  repoRoot,
});
const l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) }) as PublicClient;
const l2 = createPublicClient({ transport: http(manifest.l2.rpcUrl) }) as PublicClient;
const dynamodb = new DynamoDBClient({ endpoint: pipeline.aws.endpoints.dynamodb });
const store = new DynamoDbStateStore({
  client: dynamodb,
  tableName: pipeline.aws.environment.STATE_TABLE_NAME as string,
});
const provingStage = config.stages.find((stage) => stage.outputTopic === config.proposer.inputTopic);
const origin = BigInt(config.chains.l2.startBlock);

/** End of the highest succeeded group of the stage whose proofs the proposer proposes. */
async function provenHead(): Promise<bigint> {
  if (provingStage === undefined) return origin;
  const groups = await store.list(`group#${provingStage.name}`, 'succeeded');
  let head = origin;
  for (const group of groups) {
    const { end } = keyInterval(group.id.slice(provingStage.name.length + 1), 'range');
    if (end > head) head = end;
  }
  return head;
}

async function sample(): Promise<LagSample> {
  const [l2Head, proven, oracle] = await Promise.all([
    l2.getBlockNumber({ cacheTime: 0 }),
    provenHead(),
    readOracleHead(l1, manifest.contracts.l2OutputOracle),
  ]);
  const block = await l2.getBlock({ blockNumber: oracle.latestBlockNumber });
  return {
    atMs: Date.now(),
    l2Head,
    provenHead: proven,
    proposedHead: oracle.latestBlockNumber,
    proposedHeadTimestamp: Number(block.timestamp),
  };
}

/** With `--timings`: polls the oracle every 200 ms until it holds a proposal, and marks when. */
async function watchFirstProposal(until: number): Promise<void> {
  while (Date.now() < until) {
    const head = await readOracleHead(l1, manifest.contracts.l2OutputOracle).catch(() => undefined);
    if (head !== undefined && head.proposals > 0n) {
      timings.mark(`first proposal seen on L1 (L2 block ${head.latestBlockNumber})`);
      return;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** The L2 blocks the first proposal needs (its end, and the block whose mining finalizes it) as mined. */
async function markFirstProposalBlocks(): Promise<void> {
  const end = BigInt(manifest.startingBlock) + BigInt(config.proposer.submissionInterval);
  const finalizing = (await l2.getBlock({ blockTag: 'finalized' })).number;
  const depth = (await l2.getBlockNumber({ cacheTime: 0 })) - finalizing;
  for (const [number, what] of [
    [end, 'the first proposal ends at'],
    [end + depth, `finalizes block ${end} (finalized = latest - ${depth})`],
  ] as const) {
    const block = await l2.getBlock({ blockNumber: number }).catch(() => undefined);
    if (block !== undefined)
      timings.mark(`≈ L2 block ${number} mined: ${what}`, Number(block.timestamp) * 1000);
  }
}

const samples: LagSample[] = [];
let failedSamples = 0;
let statistics: LagStatistics;
try {
  const endAt = startedAt + minutes * 60_000;
  const firstProposal = values.timings ? watchFirstProposal(endAt) : Promise.resolve();
  let nextReport = Date.now() + 60_000;
  while (Date.now() < endAt) {
    const taken = await sample().catch(() => undefined);
    if (taken === undefined) failedSamples += 1;
    else samples.push(taken);
    if (taken !== undefined && Date.now() >= nextReport) {
      nextReport += 60_000;
      process.stderr.write(
        `${((Date.now() - startedAt) / 60_000).toFixed(1)} min: L2 ${taken.l2Head} | proven ${taken.provenHead} | proposed ${taken.proposedHead} | lag ${taken.l2Head - taken.proposedHead} blocks | load ${loadavg()[0]?.toFixed(2)}\n`,
      );
    }
    await new Promise((done) => setTimeout(done, sampleSeconds * 1000));
  }
  await firstProposal;
  if (values.timings) {
    await markFirstProposalBlocks().catch(() => undefined);
    const proposedAt = timings.entries().find((mark) => mark.phase.startsWith('first proposal'))?.atMs;
    markJobPhases(timings, pipeline.aws.jobRunner.list({}), proposedAt ?? endAt);
  }
  statistics = lagStatistics(
    samples,
    startedAt,
    localRunLagBound({
      submissionInterval: config.proposer.submissionInterval,
      proposerEverySeconds: config.proposer.schedule.everySeconds,
      l2BlockTimeSeconds: config.local.l2BlockTimeSeconds,
    }),
  );
} finally {
  await pipeline.stop();
  await chains.stop();
  dynamodb.destroy();
  rmSync(stateDirectory, { recursive: true, force: true });
}

const loadAtEnd = loadavg();
const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
const timeline = values.timings
  ? { timings: timings.entries().map((m) => ({ phase: m.phase, seconds: (m.atMs - startedAt) / 1000 })) }
  : {};
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ minutes, sampleSeconds, failedSamples, ...timeline, ...statistics, slopeBlocksPerMinute: round(statistics.slopeBlocksPerMinute), loadAverage: { start: loadAtStart, end: loadAtEnd } })}\n`,
  );
} else {
  const figure = (p: LagStatistics['lagBlocks'], unit: string) =>
    p === undefined
      ? 'n/a'
      : `p50 ${round(p.p50)} ${unit}, p95 ${round(p.p95)} ${unit}, max ${round(p.max)} ${unit}`;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(
    [
      `lag benchmark (${values.config}, ${config.local.l2BlockTimeSeconds} s L2 blocks, ${minutes} min, a sample every ${sampleSeconds} s)`,
      `  first proposal after: ${statistics.firstProposalSeconds === undefined ? 'none' : `${statistics.firstProposalSeconds.toFixed(1)} s`}`,
      `  proposed-head lag (${statistics.samples} samples after the first proposal, ${failedSamples} failed):`,
      `    blocks:  ${figure(statistics.lagBlocks, 'blocks')}`,
      `    seconds: ${figure(statistics.lagSeconds, 's')}`,
      `    slope over the last half: ${round(statistics.slopeBlocksPerMinute) ?? 'n/a'} blocks/min`,
      `  proven-head lag: ${figure(statistics.provenLagBlocks, 'blocks')}`,
      `  bound: max lag ≤ ${statistics.bound.blocks} blocks (${statistics.bound.rule}) and slope ≤ ${statistics.bound.slopeBlocksPerMinute} block/min`,
      `  ${statistics.pass ? 'PASS' : 'FAIL'}`,
      `  load average (1/5/15 min): start ${load(loadAtStart)}, end ${load(loadAtEnd)}`,
      ...(values.timings
        ? [
            '  timings (from the start):',
            ...timings
              .format()
              .split('\n')
              .map((l) => `    ${l}`),
          ]
        : []),
    ].join('\n') + '\n',
  );
}
process.exit(statistics.pass ? 0 : 1);
