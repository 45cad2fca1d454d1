import { parseArgs } from 'node:util';
import { formatSeed, summarize } from './chaos/report.js';
import { simulateSeed } from './chaos/simulate.js';

/**
 * Chaos simulation of the orchestrator ("never stuck"): per seed, the real orchestrator logic over
 * the in-memory ports with faults injected, then the invariants checked. Exits 1 on any violation.
 *
 * Run: `npm run chaos -- [--seeds 200] [--from 1] [--blocks H] [--l2-reorgs]` (`--l2-reorgs`: the
 * simulated L2 reorganises and the real watcher rewinds the pipeline, see `L2ReorgInjector`).
 */
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    blocks: { type: 'string' },
    'l2-reorgs': { type: 'boolean', default: false },
  },
});
const seeds = Number(values.seeds);
const from = Number(values.from);
const startedAt = performance.now();
const reports = [];
for (let seed = from; seed < from + seeds; seed++) {
  const report = await simulateSeed(seed, {
    ...(values.blocks === undefined ? {} : { blocks: Number(values.blocks) }),
    l2Reorgs: values['l2-reorgs'],
  });
  process.stdout.write(`${formatSeed(report)}\n`);
  reports.push(report);
}
const summary = summarize(reports, (performance.now() - startedAt) / 1000);
process.stdout.write(`${summary.line}\n`);
process.exit(summary.violations > 0 ? 1 : 0);
