import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestClient, http } from 'viem';
import { startDevnetChains } from '../devnet/runtime/devnet-chains.js';
import { writeDevnetManifest } from '../devnet/runtime/devnet-manifest.js';
import { startLocalPipeline } from '../devnet/runtime/local-pipeline.js';
import { quietConsoleNoise } from '../devnet/runtime/quiet-console-noise.js';
import { loadPipelineConfig } from '../lambdas/core/config/parse-pipeline-config.js';
import { rollupConfigHashOf } from '../lambdas/programs/rollup-config-hash.js';

/**
 * `npm run bench`: measures the local pipeline and prints figures (asserts nothing).
 *
 * 1. Steady state (L2 at its configured block time): seconds from start to the first L1 proposal,
 *    and proposals per minute from the first to the last of `--proposals`.
 * 2. Orchestrator throughput: a backlog of `--backlog` L2 blocks is mined at once, so the chain is not
 *    the bottleneck; blocks per second = backlog blocks proposed / seconds taken. The prover is the
 *    repo's mock prover (it executes the range and aggregate programs over RPC, with no proving), run
 *    as Batch job child processes by the local job runner: the figure includes the job start cost.
 * 3. AWS API calls per proposed L2 block, by service and by operation, counted at the stand-ins
 *    (every SDK call of the handlers and job containers; the runtime's own reads are not counted).
 *
 * Run: `node --import tsx scripts/bench-pipeline.ts [--proposals 3] [--backlog 100] [--config file]`
 */
const { values } = parseArgs({
  options: {
    proposals: { type: 'string', default: '3' },
    backlog: { type: 'string', default: '100' },
    config: { type: 'string', default: 'config/devnet.json' },
  },
});
const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
const configPath = resolve(values.config);
const proposalTarget = Number(values.proposals);
const backlog = Number(values.backlog);

process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
quietConsoleNoise();

const quiet = (): void => undefined;
const config = loadPipelineConfig(configPath);
const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
const startedAt = Date.now();
const { chains, manifest } = await startDevnetChains({
  config,
  rollupConfigHash: await rollupConfigHashOf(resolve(dirname(configPath), config.chains.l2.rollupConfigPath)),
  l1Port: 0,
  l2Port: 0,
  l1BlockTimeSeconds: config.local.l1BlockTimeSeconds,
  l2BlockTimeSeconds: config.local.l2BlockTimeSeconds,
});
writeDevnetManifest(join(stateDirectory, 'manifest.json'), manifest);
const pipeline = await startLocalPipeline({
  configPath,
  stateDirectory,
  repoRoot,
  manifest,
  log: quiet,
  progressEverySeconds: 0,
});
const seconds = (from: number): number => (Date.now() - from) / 1000;

try {
  await pipeline.waitForProposals(1);
  const firstProposalAt = Date.now();
  const timeToFirst = seconds(startedAt);
  await pipeline.waitForProposals(proposalTarget);
  const perMinute = ((proposalTarget - 1) / seconds(firstProposalAt)) * 60;

  const l2 = createTestClient({ mode: 'anvil', transport: http(manifest.l2.rpcUrl) });
  const before = await pipeline.progress();
  const backlogStart = Date.now();
  await l2.mine({ blocks: backlog });
  const backlogEnd = before.l2Head + BigInt(backlog);
  let progress = before;
  while (progress.proposedHead < backlogEnd - BigInt(config.proposer.submissionInterval)) {
    await new Promise((done) => setTimeout(done, 500));
    progress = await pipeline.progress();
  }
  const blocksPerSecond = Number(progress.proposedHead - before.proposedHead) / seconds(backlogStart);

  const stats = pipeline.stats();
  const blocks = Number(progress.proposedHead - BigInt(manifest.startingBlock));
  const lines = [
    `local pipeline benchmark (${configPath})`,
    `  seconds from start to the first proposal: ${timeToFirst.toFixed(1)} (chains + stand-ins + pipeline)`,
    `  proposals per minute (steady state, L2 block time ${config.local.l2BlockTimeSeconds} s): ${perMinute.toFixed(2)}`,
    `  blocks per second through the orchestrator (mock prover, ${backlog}-block backlog): ${blocksPerSecond.toFixed(2)}`,
    `  proposed L2 blocks: ${blocks}; proposals: ${progress.proposals}; Batch jobs: ${Object.keys(stats.jobs.submittedByName).length}`,
    '  AWS API calls per proposed L2 block, by service:',
    ...Object.entries(stats.calls.byService).map(
      ([service, calls]) => `    ${service.padEnd(10)} ${(calls / blocks).toFixed(2)}`,
    ),
    '  by operation:',
    ...Object.entries(stats.calls.byOperation)
      .sort(([, a], [, b]) => b - a)
      .map(([operation, calls]) => `    ${operation.padEnd(34)} ${(calls / blocks).toFixed(2)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await pipeline.stop();
  await chains.stop();
  rmSync(stateDirectory, { recursive: true, force: true });
}
process.exit(0);
