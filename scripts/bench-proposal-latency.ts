import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import {
  readPipelineAggregateLatencies,
  summarizeSeconds,
  writeConfigWithProposerEvery,
} from '../devnet/runtime/proposal-latency.js';
import { startBenchLocalRun } from './bench-local-run.js';

/**
 * `npm run bench:latency`: our own waits around the proposer, from the stored items' timestamps
 * (prints figures, asserts nothing). Runs the local pipeline (fresh chains and state each time) to
 * `--proposals` proposals with the proposer scheduled every `--proposer-every` seconds, once
 * without proposer wake-ups (the proposer on its schedule alone: "before") and once with them
 * ("after"), and prints, per run, p50 and max seconds
 * - from an aggregate group forming (its last range proof recorded) to its job being submitted
 *   (the proposer's checkpoint in between), and
 * - from its aggregate proof being recorded to the proposal transaction being sent,
 * plus seconds to the first proposal and proposer invocations.
 *
 * Run: `npm run bench:latency -- [--proposals 3] [--proposer-every 60] [--wakeups both|on|off]
 *   [--timeout 400] [--config config/devnet.json]`
 */
const { values } = parseArgs({
  // `both` re-runs this script with `--wakeups off` and `--wakeups on`: the last flag wins.
  allowPositionals: false,
  options: {
    proposals: { type: 'string', default: '3' },
    'proposer-every': { type: 'string', default: '60' },
    wakeups: { type: 'string', default: 'both' },
    timeout: { type: 'string', default: '400' },
    config: { type: 'string', default: 'config/devnet.json' },
  },
});
const repoRoot = resolve(import.meta.dirname, '..');
const proposals = Number(values.proposals);
const proposerEverySeconds = Number(values['proposer-every']);
const timeoutMs = Number(values.timeout) * 1000;
const modes = { both: [false, true], on: [true], off: [false] }[values.wakeups as 'both' | 'on' | 'off'];
if (modes === undefined || !(proposals >= 1) || !(proposerEverySeconds >= 1)) {
  process.stderr.write('usage: --proposals N≥1 --proposer-every S≥1 --wakeups both|on|off\n');
  process.exit(2);
}

applyLocalAwsEnvironment();

/** One fresh local run; returns the lines to print. */
async function measure(wakeups: boolean): Promise<string[]> {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const configPath = join(stateDirectory, 'bench-config.json');
  writeConfigWithProposerEvery(resolve(values.config), proposerEverySeconds, configPath);
  const { chains, pipeline, startedAt } = await startBenchLocalRun({
    configPath,
    stateDirectory,
    repoRoot,
    proposerWakeups: wakeups,
  });
  const label = wakeups ? 'after (proposer wake-ups on)' : 'before (proposer on its schedule only)';
  try {
    const deadline = AbortSignal.timeout(timeoutMs);
    await pipeline.waitForProposals(1, deadline);
    const firstProposal = (Date.now() - startedAt) / 1000;
    await pipeline.waitForProposals(proposals, deadline);
    if (deadline.aborted)
      return [`${label}: timed out after ${timeoutMs / 1000} s before ${proposals} proposals`];
    const stats = pipeline.stats();
    const latencies = await readPipelineAggregateLatencies(pipeline);
    const toJob = summarizeSeconds(latencies.map((l) => (l.submittedAt - l.formedAt) / 1000));
    const toProposal = summarizeSeconds(
      latencies.map((l) => ((l.proposalSentAt ?? Number.NaN) - (l.proofRecordedAt ?? Number.NaN)) / 1000),
    );
    const figure = (s: { p50: number; max: number; count: number }) =>
      `p50 ${s.p50.toFixed(1)} s, max ${s.max.toFixed(1)} s (${s.count} aggregates)`;
    return [
      `${label}, proposer scheduled every ${proposerEverySeconds} s:`,
      `  aggregate group formed → its job submitted:  ${figure(toJob)}`,
      `  aggregate proof recorded → proposal tx sent: ${figure(toProposal)}`,
      `  seconds from start to the first proposal: ${firstProposal.toFixed(1)}`,
      `  proposer invocations: ${stats.invocations.proposer ?? 0}; Lambda Invoke calls: ${stats.calls.byService.lambda ?? 0}`,
    ];
  } finally {
    await pipeline.stop();
    await chains.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

process.stdout.write(`proposal latency benchmark (${values.config}, ${proposals} proposals per run)\n`);
if (modes.length === 1) {
  process.stdout.write(`${(await measure(modes[0] as boolean)).join('\n')}\n`);
  process.exit(0);
}
// One process per run: the handler modules build their runtime from process.env once per process.
for (const mode of ['off', 'on']) {
  const args = [...process.execArgv, process.argv[1] as string, ...process.argv.slice(2), '--wakeups', mode];
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(run.stdout.split('\n').slice(1).join('\n'));
  if (run.status !== 0) process.exit(run.status ?? 1);
}
process.exit(0);
