import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfigFile } from '../lambdas/core/config/read-config-file.js';
import { InvalidInputError } from '../lambdas/core/errors.js';
import { chainProfile } from './plan/chain-profiles.js';
import { formatFigures, formatSweep } from './plan/format-plan.js';
import { headChart } from './plan/head-chart.js';
import { planFigures } from './plan/plan-report.js';
import { baselineScenario, configuredScenario, type PlanRequest } from './plan/plan-scenarios.js';
import { type PlanScenario, simulatePlan } from './plan/simulate-plan.js';
import { sweepPlan } from './plan/sweep.js';

/**
 * Capacity and cost planner: the pipeline's own logic on a virtual clock against a modelled world
 * (docs/planner.md says how to read it and where every default comes from).
 *
 * Run: `npm run plan -- --config config/aws-example.json --chain op-mainnet [--hours 6] [--gpus N]
 *   [--range-size B] [--proposer wake|schedule] [--seed 1] [--drain-hours H] [--json] [--chart out.svg]
 *   [--sweep --lag-target S [--sweep-ranges 50,100,300] [--sweep-gpus 4,8,16,32]]`
 */
const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    chain: { type: 'string', default: 'op-mainnet' },
    hours: { type: 'string', default: '6' },
    'drain-hours': { type: 'string' },
    gpus: { type: 'string' },
    'range-size': { type: 'string' },
    // The stack and the local run wake the proposer when a group forms or a proof arrives
    // (cdk/pipeline-stack.ts: allowWakeUpsFrom); `schedule` models the sweep alone.
    proposer: { type: 'string', default: 'wake' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    chart: { type: 'string' },
    sweep: { type: 'boolean', default: false },
    'lag-target': { type: 'string' },
    // Up to the ~70 GPUs OP mainnet needs; ranges above ~26 OP-mainnet blocks exceed a 3600-s attempt.
    'sweep-ranges': { type: 'string', default: '10,15,20,25,50,100' },
    'sweep-gpus': { type: 'string', default: '4,8,16,32,48,64,72,80,96' },
  },
});

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n > 0)) throw new InvalidInputError(`--${flag}`, [`got "${text}", expected a positive number`]);
  return n;
}

function list(flag: string, text: string): number[] {
  return text.split(',').map((part) => positive(flag, part.trim()) as number);
}

if (values.config === undefined)
  throw new InvalidInputError('arguments', ['--config: got nothing, expected a config file']);
if (values.proposer !== 'schedule' && values.proposer !== 'wake')
  throw new InvalidInputError('--proposer', [`got "${values.proposer}", expected "schedule" or "wake"`]);
const gpus = positive('gpus', values.gpus);
const rangeSize = positive('range-size', values['range-size']);
const drainHours = positive('drain-hours', values['drain-hours']);
const request: PlanRequest = {
  raw: readConfigFile(values.config),
  source: values.config,
  chain: chainProfile(values.chain),
  hours: positive('hours', values.hours) as number,
  proposer: values.proposer,
  seed: Number(values.seed),
  ...(gpus === undefined ? {} : { gpus }),
  ...(rangeSize === undefined ? {} : { rangeSize }),
  ...(drainHours === undefined ? {} : { drainHours }),
};
const startedAt = performance.now();
const settingsOf = (s: PlanScenario) => ({
  chain: s.model.chain.name,
  gpus: s.gpus,
  rangeSize: s.rangeSize,
  proposer: s.proposer,
  hours: s.hours,
  seed: s.seed,
});

if (values.sweep) {
  const target = positive('lag-target', values['lag-target']);
  if (target === undefined)
    throw new InvalidInputError('--sweep', ['--lag-target: got nothing, expected seconds']);
  const grid = {
    rangeSizes: list('sweep-ranges', values['sweep-ranges']),
    gpus: list('sweep-gpus', values['sweep-gpus']),
  };
  const result = await sweepPlan(request, grid, target);
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSweep(result).join('\n')}\n`,
  );
} else {
  const scenario = configuredScenario(request);
  const run = await simulatePlan(scenario);
  const figures = planFigures(run);
  const baseline = baselineScenario(request, scenario.config.proposer.submissionInterval);
  const baselineFigures = planFigures(await simulatePlan(baseline));
  if (values.chart !== undefined)
    writeFileSync(values.chart, headChart(run.timeline.heads, `${values.config} on ${values.chain}`));
  if (values.json) {
    const out = {
      ...figures,
      settings: settingsOf(scenario),
      baseline: { ...baselineFigures, settings: settingsOf(baseline) },
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = [
      ...formatFigures('planned', settingsOf(scenario), figures),
      ...formatFigures("baseline (op-succinct's defaults)", settingsOf(baseline), baselineFigures),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
process.stderr.write(
  `planner: simulated in ${((performance.now() - startedAt) / 1000).toFixed(1)} s of wall time\n`,
);
