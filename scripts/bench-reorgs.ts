import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyLocalAwsEnvironment } from '../devnet/runtime/local-aws-environment.js';
import type { ReorgedChain } from '../devnet/runtime/reorg-injector.js';
import { startBenchLocalRun } from './bench-local-run.js';
import { measureReorgRecovery, type ReorgRecovery } from './bench-reorgs-recovery.js';

/**
 * `npm run bench:reorgs`: recovery time from one injected reorg at a time. Per case, a fresh local run
 * (chains and state) on `--config` reaches its first proposal, then gets one reorg: `l1` replaces the
 * L1 tip (`--depth` blocks; proposals and checkpoints in them are dropped), `l2` the L2 tip, which is
 * below the safe head the watcher follows with config/devnet-reorgs.json. Prints, per case, the seconds
 * from the reorg to the next proposal whose root is the canonical L2's, or where it stopped.
 *
 * Run: `npm run bench:reorgs -- [--cases l1,l2] [--depth 3] [--timeout 120] [--config config/devnet-reorgs.json] [--json]`
 */
const { values } = parseArgs({
  allowPositionals: false,
  options: {
    cases: { type: 'string', default: 'l1,l2' },
    depth: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '120' },
    config: { type: 'string', default: 'config/devnet-reorgs.json' },
    json: { type: 'boolean', default: false },
    // One case in this process: set when the script re-runs itself per case.
    case: { type: 'string' },
  },
});
const repoRoot = resolve(import.meta.dirname, '..');
const depth = Number(values.depth);
const timeoutSeconds = Number(values.timeout);
const cases = values.cases.split(',');
if (
  !Number.isInteger(depth) ||
  depth < 1 ||
  !(timeoutSeconds >= 1) ||
  cases.some((c) => c !== 'l1' && c !== 'l2')
) {
  process.stderr.write(
    `usage: --cases l1,l2 --depth N≥1 --timeout S≥1 [--json]; got --cases ${values.cases} --depth ${values.depth} --timeout ${values.timeout}\n`,
  );
  process.exit(2);
}

/** One fresh local run with one reorg of `chain`. */
async function measure(chain: ReorgedChain): Promise<ReorgRecovery> {
  applyLocalAwsEnvironment();
  const stateDirectory = mkdtempSync(join(tmpdir(), `bench-reorgs-${chain}-`));
  const { chains, manifest, pipeline } = await startBenchLocalRun({
    configPath: resolve(values.config),
    stateDirectory,
    repoRoot,
  });
  try {
    await pipeline.waitForProposals(1, AbortSignal.timeout(timeoutSeconds * 1000));
    return await measureReorgRecovery({ pipeline, manifest, chain, depth, timeoutMs: timeoutSeconds * 1000 });
  } finally {
    await pipeline.stop();
    await chains.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

function describeRecovery(r: ReorgRecovery): string {
  const what = `${r.chain.toUpperCase()} reorg depth ${r.depth} at block ${r.height} (${r.oldHash.slice(0, 10)}… → ${r.newHash.slice(0, 10)}…), oracle at L2 block ${r.proposedAtReorg}`;
  return r.recoverySeconds === undefined
    ? `${what}: not recovered: ${r.stoppedAt}`
    : `${what}: recovered in ${r.recoverySeconds.toFixed(1)} s (canonical proposal at L2 block ${r.recoveredAt?.l2Block})`;
}

if (values.case !== undefined) {
  process.stdout.write(`${JSON.stringify(await measure(values.case as ReorgedChain))}\n`);
  process.exit(0);
}
// One process per case: the handler modules build their runtime from process.env once per process.
const results: ReorgRecovery[] = [];
for (const chain of cases) {
  const args = [...process.execArgv, process.argv[1] as string, ...process.argv.slice(2), '--case', chain];
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) {
    process.stderr.write(`case ${chain} failed (exit ${run.status}): ${run.stdout}\n`);
    process.exit(run.status ?? 1);
  }
  const recovery = JSON.parse(line) as ReorgRecovery;
  results.push(recovery);
  if (!values.json) process.stdout.write(`${describeRecovery(recovery)}\n`);
}
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(results.every((r) => r.recoverySeconds !== undefined) ? 0 : 1);
