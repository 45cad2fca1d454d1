import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestClient, http } from 'viem';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import { formatProgress } from '../devnet/runtime/pipeline-progress.js';
import { startBenchLocalRun } from './bench-local-run.js';
import { callsByFunctionLines } from './calls-by-function.js';
import { jobAttemptSeconds } from './job-attempt-seconds.js';

/**
 * `npm run bench`: measures the local pipeline and prints figures (asserts nothing).
 *
 * 1. Steady state (L2 at its configured block time): seconds from start to the first L1 proposal,
 *    and proposals per minute from the first to the last of `--proposals`.
 * 2. Orchestrator throughput: a backlog of `--backlog` L2 blocks is mined at once, so the chain is not
 *    the bottleneck; blocks per second = backlog blocks proposed / seconds taken. The prover is the
 *    repo's mock prover (it executes the range and aggregate programs over RPC, with no proving), run
 *    as Batch job child processes by the local job runner: the figure includes the job start cost.
 *    An "instant prover" mode (no prover work, to isolate the orchestrator) is not offered: a result
 *    document the contract accepts must carry the real output roots and L1 header chain, which only the
 *    (mock) prover computes over RPC; faking them would measure a pipeline the oracle would refuse.
 * 3. Seconds from spawn to exit of each Batch job attempt (the entrypoint and its prover), by stage.
 * 4. AWS API calls per proposed L2 block, by service and by operation, counted at the stand-ins
 *    (every request of the handlers and job containers reaches a stand-in; the handlers' composition
 *    root has no hook for an SDK middleware, so the SDK clients themselves are not instrumented; the
 *    runtime's own progress reads are not counted). Then by function: each handler invocation runs
 *    under `attributeCallsTo`, which tags its requests with the function's name; per block, per
 *    invocation, and its most frequent operations (the watcher's include the scheduled sweeps).
 *
 * Every wait has a deadline (`--timeout` seconds per phase): on timeout the script prints what was
 * reached and exits 1.
 *
 * Run: `node --import tsx scripts/bench-pipeline.ts [--proposals 3] [--backlog 100] [--timeout 300] [--config file]`
 */
const { values } = parseArgs({
  options: {
    proposals: { type: 'string', default: '3' },
    backlog: { type: 'string', default: '100' },
    config: { type: 'string', default: 'config/devnet.json' },
    timeout: { type: 'string', default: '300' },
  },
});
const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
const configPath = resolve(values.config);
const proposalTarget = Number(values.proposals);
const backlog = Number(values.backlog);
const phaseTimeoutMs = Number(values.timeout) * 1000;

applyLocalAwsEnvironment();

const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
const { config, chains, manifest, pipeline, startedAt } = await startBenchLocalRun({
  configPath,
  stateDirectory,
  repoRoot,
});
const seconds = (from: number): number => (Date.now() - from) / 1000;

class BenchTimeout extends Error {}

/**
 * Polls `reached` until it returns true or `--timeout` seconds pass; on timeout throws a BenchTimeout
 * that names the phase and what `describe` says was reached.
 */
async function waitFor(
  phase: string,
  reached: () => Promise<boolean>,
  describe: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + phaseTimeoutMs;
  while (!(await reached().catch(() => false))) {
    if (Date.now() > deadline) {
      throw new BenchTimeout(
        `timed out after ${phaseTimeoutMs / 1000} s ${phase}; reached: ${await describe()}`,
      );
    }
    await new Promise((done) => setTimeout(done, 500));
  }
}

const reachedSoFar = async (): Promise<string> => {
  try {
    return formatProgress(await pipeline.progress());
  } catch (error) {
    return `progress unavailable (${(error as Error).message})`;
  }
};
const hasProposals = (count: number) => async (): Promise<boolean> =>
  (await pipeline.progress()).proposals >= BigInt(count);
/** Spawn-to-exit seconds of the job attempts so far, by stage (also printed when a phase times out). */
const attemptLines = (): string[] => [
  '  Batch job attempts, spawn to exit in seconds (median, max), by stage:',
  ...Object.entries(jobAttemptSeconds(join(stateDirectory, 'batch', 'jobs.json'))).map(
    ([stage, { count, median, max }]) =>
      `    ${stage.padEnd(10)} ${median.toFixed(2)} s, ${max.toFixed(2)} s (${count} attempts)`,
  ),
];
let exitCode = 0;

try {
  await waitFor('waiting for the first proposal', hasProposals(1), reachedSoFar);
  const firstProposalAt = Date.now();
  const timeToFirst = seconds(startedAt);
  await waitFor(`waiting for ${proposalTarget} proposals`, hasProposals(proposalTarget), reachedSoFar);
  const perMinute = ((proposalTarget - 1) / seconds(firstProposalAt)) * 60;
  // Printed at once: a run that cannot keep up with the backlog phase still reports its steady state.
  process.stdout.write(
    [
      `local pipeline benchmark (${configPath})`,
      `  seconds from start to the first proposal: ${timeToFirst.toFixed(1)} (chains + stand-ins + pipeline)`,
      `  proposals per minute (steady state, L2 block time ${config.local.l2BlockTimeSeconds} s): ${perMinute.toFixed(2)}`,
      '',
    ].join('\n'),
  );

  const l2 = createTestClient({ mode: 'anvil', transport: http(manifest.l2.rpcUrl) });
  const before = await pipeline.progress();
  const backlogStart = Date.now();
  await l2.mine({ blocks: backlog });
  const backlogEnd = before.l2Head + BigInt(backlog);
  let progress = before;
  await waitFor(
    `proving the ${backlog}-block backlog`,
    async () => {
      progress = await pipeline.progress();
      return progress.proposedHead >= backlogEnd - BigInt(config.proposer.submissionInterval);
    },
    reachedSoFar,
  );
  const blocksPerSecond = Number(progress.proposedHead - before.proposedHead) / seconds(backlogStart);

  const stats = pipeline.stats();
  const blocks = Number(progress.proposedHead - BigInt(manifest.startingBlock));
  const lines = [
    `  blocks per second through the orchestrator (mock prover, ${backlog}-block backlog): ${blocksPerSecond.toFixed(2)}`,
    `  proposed L2 blocks: ${blocks}; proposals: ${progress.proposals}; Batch jobs: ${Object.keys(stats.jobs.submittedByName).length}`,
    ...attemptLines(),
    '  AWS API calls per proposed L2 block, by service (counted at the stand-ins, not by an SDK middleware):',
    ...Object.entries(stats.calls.byService).map(
      ([service, calls]) => `    ${service.padEnd(10)} ${(calls / blocks).toFixed(2)}`,
    ),
    '  by operation:',
    ...Object.entries(stats.calls.byOperation)
      .sort(([, a], [, b]) => b - a)
      .map(([operation, calls]) => `    ${operation.padEnd(34)} ${(calls / blocks).toFixed(2)}`),
    '  by function (per proposed L2 block, per invocation, the most frequent operations per block):',
    ...callsByFunctionLines(stats.calls, stats.invocations, blocks),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  if (!(error instanceof BenchTimeout)) throw error;
  process.stdout.write(`${attemptLines().join('\n')}\n`);
  process.stderr.write(`bench: ${error.message}\n`);
  exitCode = 1;
} finally {
  await pipeline.stop();
  await chains.stop();
  rmSync(stateDirectory, { recursive: true, force: true });
}
process.exit(exitCode);
