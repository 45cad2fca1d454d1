import type { SeedReport } from './simulate.js';

/** One line per seed: `seed 17: ok, 84 blocks, 3 aggregates, 41 faults (…), 312 steps` or its violations. */
export function formatSeed(report: SeedReport): string {
  const total = Object.values(report.faults).reduce((sum, n) => sum + n, 0);
  const kinds = Object.entries(report.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const figures = `${report.blocks} blocks, ${report.aggregates} aggregates, ${total} faults (${kinds}), ${report.steps} steps`;
  const waiting =
    report.waitingOnPerson.length === 0 ? '' : `; waits on a person: ${report.waitingOnPerson.join('; ')}`;
  if (report.violations.length === 0) return `seed ${report.seed}: ok, ${figures}${waiting}`;
  const shown = report.violations.slice(0, 5).join('; ');
  const more = report.violations.length > 5 ? ` (+${report.violations.length - 5} more)` : '';
  return `seed ${report.seed}: VIOLATION ${shown}${more} [${figures}]${waiting}`;
}

/** The summary line: seeds, violations, waits, faults and blocks in all, and the wall time. */
export function summarize(
  reports: readonly SeedReport[],
  wallSeconds: number,
): { line: string; violations: number } {
  const violating = reports.filter((r) => r.violations.length > 0);
  const waiting = reports.filter((r) => r.waitingOnPerson.length > 0).length;
  const faults = reports.reduce((sum, r) => sum + Object.values(r.faults).reduce((s, n) => s + n, 0), 0);
  const blocks = reports.reduce((sum, r) => sum + r.blocks, 0);
  const seeds = violating.map((r) => r.seed).join(', ');
  const line =
    `chaos: ${reports.length} seeds, ${violating.length} with violations${seeds === '' ? '' : ` (seeds ${seeds})`}, ` +
    `${waiting} waiting on a person, ${blocks} blocks, ${faults} faults, ${wallSeconds.toFixed(1)} s`;
  return { line, violations: violating.length };
}
