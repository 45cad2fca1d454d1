import type { PlanFigures } from './plan-report.js';
import type { SweepResult } from './sweep.js';

/** What a figures block is about, for its heading. */
export interface PlanSettings {
  readonly chain: string;
  readonly gpus: number;
  readonly rangeSize: number;
  readonly proposer: string;
  readonly hours: number;
  readonly seed: number;
}

/** The figures of one scenario as text lines (the planner's default output). */
export function formatFigures(heading: string, settings: PlanSettings, f: PlanFigures): string[] {
  const lines = [
    `${heading}: ${settings.chain}, ${settings.gpus} GPU cap, ${settings.rangeSize}-block ranges, proposer ${settings.proposer}, ${settings.hours} h of blocks, seed ${settings.seed}`,
    `  lag L2 block → L1 proposal: p50 ${f.lagSeconds.p50} s, p95 ${f.lagSeconds.p95} s, max ${f.lagSeconds.max} s (mean ${f.lagSeconds.mean} s)`,
    breakdownLine(f),
    `  physical floor (p95) ${f.floorSeconds} s; lag p95 / floor = ${f.ratio}`,
    `  GPUs: ${pct(f.gpuUtilization)} of billed time busy, ${pct(f.backlogBusyShare)} of the cap busy while jobs waited; ${f.instanceHours} instance-hours, ${f.spotReclaims} Spot reclaims`,
    Number.isNaN(f.usdPerL2Block)
      ? `  cost: $${f.usdTotal} over the simulation; per day, L2 block and tx unknown: no block was proposed (${f.proposals} proposals, ${f.checkpoints} checkpoints)`
      : `  cost: $${f.usdPerDay}/day, $${f.usdPerL2Block} per L2 block, $${f.usdPerTx} per tx (${f.proposals} proposals, ${f.checkpoints} checkpoints)`,
  ];
  if (f.unproposedBlocks > 0)
    lines.push(
      `  ${f.unproposedBlocks} of ${f.blocks} blocks not proposed when the simulation ended: the lag above is a lower bound`,
    );
  for (const error of f.errors) lines.push(`  pipeline logged: ${error}`);
  return lines;
}

/** The mean breakdown, saying which blocks it is over and which steps no block completed. */
function breakdownLine(f: PlanFigures): string {
  const b = f.breakdownSeconds;
  const steps: [string, number | null][] = [
    ['finality', b.finality],
    ['range wait', b.rangeWait],
    ['queue', b.queue],
    ['proving', b.proving],
    ['aggregate wait', b.aggregateWait],
    ['checkpoint', b.checkpoint],
    ['aggregate', b.aggregate],
    ['proposal', b.proposal],
  ];
  const known = steps.filter(([, s]) => s !== null).map(([name, s]) => `${name} ${s}`);
  const unknown = steps.filter(([, s]) => s === null).map(([name]) => name);
  if (f.breakdownOver === 'proposed') return `  mean breakdown (s): ${known.join(', ')}`;
  const reached = known.length === 0 ? 'no step' : known.join(', ');
  return `  mean breakdown: no block of the window was proposed; over the blocks that reached each step (s): ${reached}${unknown.length === 0 ? '' : `; reached by no block: ${unknown.join(', ')}`}`;
}

/** The sweep's answer and every setting it tried, as text lines. */
export function formatSweep(result: SweepResult): string[] {
  const lines = [`sweep for p95 lag ≤ ${result.lagTargetSeconds} s:`];
  for (const p of result.tried)
    lines.push(
      `  range ${p.rangeSize}, ${p.gpus} GPUs: p95 ${p.p95LagSeconds} s, $${p.usdPerDay}/day${p.meetsTarget ? ' ✓' : ''}`,
    );
  const c = result.cheapest;
  lines.push(
    c === undefined
      ? '  no setting in the grid meets the target'
      : `  cheapest meeting it: ${c.rangeSize}-block ranges, ${c.gpus} GPUs, p95 ${c.p95LagSeconds} s, $${c.usdPerDay}/day`,
  );
  return lines;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
